import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG document with Foundation's XMLParser and records every element with its
/// attributes and the text content of <text> elements.
final class SVGInspector: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
        var text: String
    }

    private(set) var elements: [Element] = []
    private(set) var parseError: Error?
    private var openText: [Int] = []

    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        if !parser.parse() { parseError = parser.parserError ?? NSError(domain: "SVGInspector", code: 1) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes, text: ""))
        if name == "text" { openText.append(elements.count - 1) }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { _ = openText.popLast() }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = openText.last { elements[i].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred error: Error) { parseError = error }

    func element(id: String) -> Element? { elements.first { $0.attributes["id"] == id } }

    var texts: [String] { elements.filter { $0.name == "text" }.map(\.text) }

    /// The subpaths of an SVG path "d" made of M/L commands with absolute coordinates.
    static func subpaths(_ d: String) -> [[(Double, Double)]] {
        var result: [[(Double, Double)]] = []
        var numbers: [Double] = []
        var command: Character = " "
        var token = ""
        func flushToken() {
            if !token.isEmpty { numbers.append(Double(token)!); token = "" }
        }
        func flushCommand() {
            flushToken()
            guard numbers.count >= 2 else { numbers = []; return }
            if command == "M" { result.append([]) }
            result[result.count - 1].append((numbers[0], numbers[1]))
            numbers = []
        }
        for ch in d {
            if ch == "M" || ch == "L" {
                flushCommand()
                command = ch
            } else if ch == " " {
                flushToken()
            } else {
                token.append(ch)
            }
        }
        flushCommand()
        return result
    }
}
