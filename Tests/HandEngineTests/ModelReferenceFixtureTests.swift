import Foundation
import HandEngine
import XCTest

/// Locates the real model files and the committed reference data for model-dependent tests.
enum EngineModelFixture {
    /// The model's URL; skips the test when the file is absent, except under CI=true, where a
    /// missing model is a failure that says how to fetch it.
    static func url(_ file: ModelFile) throws -> URL {
        let directory = ModelDirectory.standard()
        do {
            return try directory.require(file)
        } catch {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                // A thrown error fails the test; its message says to run `snaprate setup`.
                throw error
            }
            throw XCTSkip("\(error)")
        }
    }

    static func referenceURL(_ name: String) throws -> URL {
        guard let folder = Bundle.module.url(forResource: "Reference", withExtension: nil) else {
            throw XCTSkip("reference folder missing from the test bundle")
        }
        return folder.appendingPathComponent(name)
    }
}

/// One model's reference outputs, as written by Reference/make_reference.py.
struct EngineModelReference: Decodable {
    struct Output: Decodable {
        let shape: [Int]
        /// When set, `values` holds only these rows (of the last dimension) of the output.
        let rows: [Int]?
        let values: [Float]
    }

    let model: String
    let input: String
    let outputs: [String: Output]

    static func load(_ file: ModelFile) throws -> EngineModelReference {
        let name = file.rawValue.replacingOccurrences(of: ".tflite", with: ".json")
        let data = try Data(contentsOf: try EngineModelFixture.referenceURL(name))
        return try JSONDecoder().decode(EngineModelReference.self, from: data)
    }

    /// The model input: the committed uint8 RGB picture scaled to [0, 1].
    func inputFloats() throws -> [Float] {
        let bytes = try Data(contentsOf: try EngineModelFixture.referenceURL(input))
        return bytes.map { Float($0) / 255 }
    }
}
