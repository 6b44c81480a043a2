/// Module `Plotting` (see README.md layout). Its implementation lands with its issue.
enum PlottingModule {}
