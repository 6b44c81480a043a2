import ArgumentParser
import Elements
import Foundation

/// `kkr-emulator element Fe [--json]`: periodic-table data and the element property vector.
struct ElementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "element", abstract: "Show an element's configuration and property vector.")

    @Argument(help: "Chemical symbol, e.g. Fe.")
    var symbol: String

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let e: Element
        do { e = try PeriodicTable.element(symbol: symbol) } catch let err as ElementError {
            throw ValidationError(err.description)
        }
        if json {
            let obj: [String: Any] = [
                "atomicNumber": e.atomicNumber, "symbol": e.symbol, "name": e.name,
                "configuration": e.configuration.map(\.description).joined(separator: " "),
                "propertyNames": Element.propertyNames, "propertyVector": e.propertyVector,
            ]
            let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("\(e.name) (\(e.symbol)), Z = \(e.atomicNumber), period \(e.period), group \(e.group)")
            print("configuration: \(e.configuration.map(\.description).joined(separator: " "))")
            for (n, v) in zip(Element.propertyNames, e.propertyVector) { print("  \(n): \(v)") }
        }
    }
}
