import Foundation
import HandEngine
import XCTest

/// Each hand model's outputs on a fixed picture against LiteRT's (Reference/make_reference.py),
/// in float32 as LiteRT computes them: the bfloat16 GEMM (`MatrixArithmetic`) moves outputs by far
/// more than this tolerance by design; its own checks are `KernelBFloat16Tests` and, on real
/// hands, the parity suite's landmarks against MediaPipe's.
final class ModelReferenceTests: XCTestCase {
    func testPalmDetectionLite() throws { try check(.palmLite) }
    func testPalmDetectionFull() throws { try check(.palmFull) }
    func testHandLandmarkLite() throws { try check(.landmarkLite) }
    func testHandLandmarkFull() throws { try check(.landmarkFull) }

    private func check(_ file: ModelFile) throws {
        let url = try EngineModelFixture.url(file)
        let reference = try EngineModelReference.load(file)
        let interpreter = try Interpreter(model: url, arithmetic: .float32)
        let input = try reference.inputFloats()
        XCTAssertEqual(interpreter.input(0).count, input.count)
        _ = interpreter.input(0).update(fromContentsOf: input)
        interpreter.invoke()
        for (name, expected) in reference.outputs {
            let index = try XCTUnwrap(interpreter.outputIndex(named: name), "no output \(name)")
            XCTAssertEqual(interpreter.outputs[index].shape, expected.shape, name)
            let actual = Self.select(interpreter.output(index), rows: expected.rows, shape: expected.shape)
            XCTAssertEqual(actual.count, expected.values.count, name)
            Self.assertClose(actual, expected.values, label: "\(file.rawValue) \(name)")
        }
    }

    /// The rows (index into the second-to-last dimension) the reference kept, or everything.
    static func select(_ output: UnsafeBufferPointer<Float>, rows: [Int]?, shape: [Int]) -> [Float] {
        guard let rows else { return Array(output) }
        let width = shape.last ?? 1
        return rows.flatMap { output[($0 * width)..<(($0 + 1) * width)] }
    }

    /// Tolerance relative to the tensor's scale: |a - e| <= 1e-4 * max|e| + 1e-4 * |e|. A wrong
    /// kernel (padding off by one, a swapped weight) moves outputs by far more than that.
    static func assertClose(_ actual: [Float], _ expected: [Float], label: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        let scale = expected.map(abs).max() ?? 0
        var worst: (index: Int, error: Float) = (0, 0)
        for (index, (a, e)) in zip(actual, expected).enumerated() {
            let error = abs(a - e) / (1e-4 * scale + 1e-4 * abs(e) + .leastNormalMagnitude)
            if !(error <= worst.error) { worst = (index, error) }
        }
        XCTAssertLessThanOrEqual(
            worst.error, 1, "\(label): worst at \(worst.index): \(actual[worst.index]) vs \(expected[worst.index])",
            file: file, line: line)
    }
}
