import Foundation
import XCTest
@testable import HandEngine

/// The flatbuffer reader on hand-made bytes, and the tflite model reader on the real files.
final class TFLiteReaderTests: XCTestCase {
    /// root offset → table at 12 whose vtable (at 4) declares field 0 at +4 and field 1 absent.
    private let tinyBuffer: [UInt8] = [
        12, 0, 0, 0,            // uoffset to the root table
        8, 0, 8, 0, 4, 0, 0, 0, // vtable: size 8, table size 8, field 0 at +4, field 1 absent
        8, 0, 0, 0,             // table: soffset back to the vtable (12 - 8 = 4)
        42, 0, 0, 0,            // field 0: int32 42
    ]

    func testTableFieldsAndDefaults() throws {
        let table = try FlatBuffer(bytes: tinyBuffer).rootTable()
        XCTAssertEqual(try table.scalar(0, default: Int32(0)), 42)
        XCTAssertEqual(try table.scalar(1, default: Int32(7)), 7)
        XCTAssertEqual(try table.scalar(9, default: Int32(9)), 9, "fields past the vtable take their default")
        XCTAssertNil(try table.string(1))
    }

    func testOutOfBoundsReadsThrow() {
        XCTAssertThrowsError(try FlatBuffer(bytes: [200, 0, 0, 0]).rootTable())
        var broken = tinyBuffer
        broken[16] = 0xFF // field 0 now an offset far outside the buffer when read as a vector
        XCTAssertThrowsError(try FlatBuffer(bytes: broken).rootTable().vector(0, of: Int32.self))
    }

    func testRejectsNonTFLiteBytes() {
        XCTAssertThrowsError(try TFLiteModel(bytes: Array("not a model at all".utf8)))
        XCTAssertThrowsError(try TFLiteModel(bytes: []))
    }

    func testTruncatedModelFailsCleanly() throws {
        let bytes = try [UInt8](Data(contentsOf: EngineModelFixture.url(.palmLite)))
        for length in [8, 64, 4096, bytes.count / 2] {
            // Must throw or parse, never trap; a half file cannot have all its buffers.
            _ = try? TFLiteModel(bytes: Array(bytes[..<length]))
        }
    }

    func testReadsPalmModelStructure() throws {
        let model = try TFLiteModel(bytes: [UInt8](Data(contentsOf: EngineModelFixture.url(.palmLite))))
        XCTAssertEqual(model.operators.count, 232)
        XCTAssertEqual(model.inputs.map { model.tensors[$0].name }, ["input_1"])
        XCTAssertEqual(model.tensors[model.inputs[0]].shape, [1, 192, 192, 3])
        XCTAssertEqual(model.tensors[model.inputs[0]].type, .float32)
        XCTAssertEqual(model.outputs.map { model.tensors[$0].shape }, [[1, 2016, 18], [1, 2016, 1]])
        let names = Set(model.operatorCodes.map(\.name))
        XCTAssertEqual(names, ["CONV_2D", "PRELU", "DEPTHWISE_CONV_2D", "ADD", "MAX_POOL_2D", "PAD",
                               "RESIZE_BILINEAR", "RESHAPE", "CONCATENATION", "DEQUANTIZE"])
        let counts = Dictionary(grouping: model.operators, by: { model.operatorCodes[$0.opcodeIndex].name }).mapValues(\.count)
        XCTAssertEqual(counts["DEQUANTIZE"], 113)
        XCTAssertEqual(counts["CONV_2D"], 30)
        // The first CONV_2D: 5x5 stride 2 SAME on the input, weights dequantized from float16.
        let conv = try XCTUnwrap(model.operators.first { model.operatorCodes[$0.opcodeIndex].name == "CONV_2D" })
        let options = try conv.conv2DOptions()
        XCTAssertEqual(options, ConvOptions(padding: .same, strideW: 2, strideH: 2, dilationW: 1, dilationH: 1,
                                            depthMultiplier: 1, activation: .none))
        XCTAssertEqual(model.tensors[conv.inputs[1]].shape, [32, 5, 5, 3])
    }

    func testReadsLandmarkModelOptions() throws {
        let model = try TFLiteModel(bytes: [UInt8](Data(contentsOf: EngineModelFixture.url(.landmarkLite))))
        XCTAssertEqual(model.outputs.map { model.tensors[$0].name }, ["Identity", "Identity_1", "Identity_2", "Identity_3"])
        let pools = model.operators.filter { model.operatorCodes[$0.opcodeIndex].name == "MAX_POOL_2D" }
        XCTAssertEqual(try pools.map { try $0.poolOptions() }, [PoolOptions(padding: .valid, strideW: 2, strideH: 2,
                                                                            filterW: 2, filterH: 2, activation: .none)])
        let relu6 = try model.operators.filter { model.operatorCodes[$0.opcodeIndex].name == "DEPTHWISE_CONV_2D" }
            .map { try $0.depthwiseOptions().activation }
        XCTAssertEqual(Set(relu6), [.relu6])
    }

    func testOperatorNames() {
        XCTAssertEqual(BuiltinOperator.name(ofCode: 3), "CONV_2D")
        XCTAssertEqual(BuiltinOperator.name(ofCode: 54), "PRELU")
        XCTAssertEqual(BuiltinOperator.name(ofCode: 117), "HARD_SWISH")
        XCTAssertEqual(BuiltinOperator.name(ofCode: 5000), "BUILTIN_5000")
        XCTAssertEqual(TFLiteModel.OperatorCode(builtinCode: 32, customCode: "CUSTOM_FOO").name, "CUSTOM_FOO")
    }
}
