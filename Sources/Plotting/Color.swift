/// An sRGB colour.
public struct Color: Hashable, Sendable, CustomStringConvertible {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From a 24-bit value 0xRRGGBB.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// "#rrggbb".
    public var svg: String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for c in [red, green, blue] {
            s.append(digits[Int(c >> 4)])
            s.append(digits[Int(c & 0xF)])
        }
        return s
    }

    public var description: String { svg }

    public static let black = Color(hex: 0x000000)
    public static let gray = Color(hex: 0x777777)
    public static let lightGray = Color(hex: 0xE3E3E3)
    public static let white = Color(hex: 0xFFFFFF)
}

/// The Okabe–Ito colour-blind-safe palette (M. Okabe and K. Ito, "Color Universal Design (CUD):
/// how to make figures and presentations that are friendly to colorblind people", 2002/2008,
/// https://jfly.uni-koeln.de/color/), ordered for contrast on white: yellow and black last.
public enum Palette {
    public static let blue = Color(hex: 0x0072B2)
    public static let vermillion = Color(hex: 0xD55E00)
    public static let bluishGreen = Color(hex: 0x009E73)
    public static let orange = Color(hex: 0xE69F00)
    public static let reddishPurple = Color(hex: 0xCC79A7)
    public static let skyBlue = Color(hex: 0x56B4E9)
    public static let yellow = Color(hex: 0xF0E442)

    /// The cycle used for series without an explicit colour.
    public static let cycle: [Color] = [blue, vermillion, bluishGreen, orange, reddishPurple, skyBlue, .black, yellow]

    /// The i-th colour of the cycle (wrapping around).
    public static func color(_ i: Int) -> Color { cycle[((i % cycle.count) + cycle.count) % cycle.count] }
}
