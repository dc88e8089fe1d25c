import Foundation
import XCTest
@testable import HandEngine

/// The public Interpreter API on the real models, and its load-time errors.
final class InterpreterTests: XCTestCase {
    func testPalmModelInputsAndOutputs() throws {
        for file in [ModelFile.palmLite, .palmFull] {
            let interpreter = try Interpreter(model: EngineModelFixture.url(file))
            XCTAssertEqual(interpreter.inputs.map(\.shape), [[1, 192, 192, 3]])
            XCTAssertEqual(interpreter.outputs.map(\.name), ["Identity", "Identity_1"])
            XCTAssertEqual(interpreter.outputs.map(\.shape), [[1, 2016, 18], [1, 2016, 1]])
            XCTAssertEqual(interpreter.outputIndex(named: "Identity_1"), 1)
            XCTAssertNil(interpreter.outputIndex(named: "nope"))
            XCTAssertEqual(interpreter.input(0).count, 192 * 192 * 3)
            XCTAssertEqual(interpreter.output(0).count, 2016 * 18)
        }
    }

    func testLandmarkModelInputsAndOutputs() throws {
        for file in [ModelFile.landmarkLite, .landmarkFull] {
            let interpreter = try Interpreter(model: EngineModelFixture.url(file))
            XCTAssertEqual(interpreter.inputs.map(\.shape), [[1, 224, 224, 3]])
            XCTAssertEqual(interpreter.outputs.map(\.shape), [[1, 63], [1, 1], [1, 1], [1, 63]])
        }
    }

    func testElementwiseOpsAreFusedIntoConvolutions() throws {
        // Palm lite: 119 runtime ops (232 minus 113 folded DEQUANTIZE); all its 25 ADD, 26 PRELU
        // and 3 PAD ops fold into the convolutions before them, leaving 65 kernels. Landmark
        // lite: 65 runtime ops, whose 10 ADD fold, leaving 55.
        XCTAssertEqual(try Interpreter(model: EngineModelFixture.url(.palmLite)).kernelCount, 65)
        XCTAssertEqual(try Interpreter(model: EngineModelFixture.url(.landmarkLite)).kernelCount, 55)
    }

    func testKernelProfileNamesEveryKernel() throws {
        let interpreter = try Interpreter(model: EngineModelFixture.url(.palmLite))
        let profile = interpreter.profileKernels(repetitions: 1)
        XCTAssertEqual(profile.count, interpreter.kernelCount)
        XCTAssertEqual(profile.first?.description, "CONV_2D+PRELU [1, 192, 192, 3] [32, 5, 5, 3] -> [1, 96, 96, 32]")
        XCTAssertTrue(profile.allSatisfy { $0.milliseconds >= 0 })
    }

    func testInvokeIsRepeatableAndKeepsTheInput() throws {
        let interpreter = try Interpreter(model: EngineModelFixture.url(.landmarkLite))
        let input = interpreter.input(0)
        for index in input.indices { input[index] = Float(index % 251) / 250 }
        let before = Array(input)
        interpreter.invoke()
        let first = Array(interpreter.output(0))
        interpreter.invoke()
        XCTAssertEqual(Array(interpreter.input(0)), before, "invoke must not overwrite the input")
        XCTAssertEqual(Array(interpreter.output(0)), first)
        XCTAssertTrue(first.allSatisfy(\.isFinite))
    }

    func testInterpretersCreatedConcurrentlyAgree() async throws {
        let url = try EngineModelFixture.url(.palmLite)
        let results = try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let interpreter = try Interpreter(model: url)
                    let input = interpreter.input(0)
                    for index in input.indices { input[index] = Float(index % 97) / 96 }
                    interpreter.invoke()
                    return Array(interpreter.output(1))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(results.count, 3)
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[1], results[2])
    }

    func testMissingFileNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent/palm.tflite")
        XCTAssertThrowsError(try Interpreter(model: url)) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/palm.tflite"), "\(error)")
        }
    }

    func testNonModelFileIsRejected() throws {
        let url = try temporaryFile("junk.tflite", Array(repeating: 0x41, count: 100))
        XCTAssertThrowsError(try Interpreter(model: url)) { error in
            XCTAssertTrue("\(error)".contains("junk.tflite"), "\(error)")
        }
    }

    func testUnsupportedOperatorIsNamedAtLoad() throws {
        // Rewrite the PRELU operator code of the real palm model as TANH (28).
        var bytes = try [UInt8](Data(contentsOf: EngineModelFixture.url(.palmLite)))
        try patchOperatorCode(in: &bytes, from: 54, to: 28)
        let url = try temporaryFile("palm_detection_lite.tflite", bytes)
        XCTAssertThrowsError(try Interpreter(model: url)) { error in
            XCTAssertEqual("\(error)", "unsupported tflite op TANH in palm_detection_lite.tflite")
        }
        try patchOperatorCode(in: &bytes, from: 28, to: 32)
        let custom = try temporaryFile("palm_detection_lite.tflite", bytes)
        XCTAssertThrowsError(try Interpreter(model: custom)) { error in
            XCTAssertEqual("\(error)", "unsupported tflite op CUSTOM in palm_detection_lite.tflite")
        }
    }

    func testUnsupportedTensorTypeIsNamedAtLoad() throws {
        // Mark the first float16 weight tensor as INT8.
        var bytes = try [UInt8](Data(contentsOf: EngineModelFixture.url(.landmarkLite)))
        let model = try TFLiteModel(bytes: bytes)
        let subgraph = try XCTUnwrap(FlatBuffer(bytes: bytes).rootTable().tables(2).first)
        let tensors = try subgraph.tables(0)
        let index = try XCTUnwrap(model.tensors.firstIndex { $0.type == .float16 })
        let typeField = try XCTUnwrap(tensors[index].fieldPosition(1))
        bytes[typeField] = 9
        let url = try temporaryFile("hand_landmark_lite.tflite", bytes)
        XCTAssertThrowsError(try Interpreter(model: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix("unsupported tensor type INT8 of tensor '\(model.tensors[index].name)'"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("in hand_landmark_lite.tflite"), "\(error)")
        }
    }

    /// Sets both code fields of every OperatorCode equal to `old` (deprecated byte 0, builtin int 3).
    private func patchOperatorCode(in bytes: inout [UInt8], from old: Int32, to new: Int32) throws {
        let codes = try FlatBuffer(bytes: bytes).rootTable().tables(1)
        var patched = 0
        for code in codes {
            let deprecated = try code.fieldPosition(0), builtin = try code.fieldPosition(3)
            let current = max(Int32(try code.scalar(0, default: Int8(0))), try code.scalar(3, default: Int32(0)))
            guard current == old else { continue }
            if let deprecated { bytes[deprecated] = UInt8(min(new, 127)) }
            if let builtin { withUnsafeBytes(of: new.littleEndian) { bytes.replaceSubrange(builtin..<(builtin + 4), with: $0) } }
            patched += 1
        }
        XCTAssertEqual(patched, 1)
    }

    private func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engine-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}
