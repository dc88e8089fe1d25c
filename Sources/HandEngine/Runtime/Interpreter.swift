import Foundation
import Logging

/// Name and shape of a model input or output.
public struct TensorInfo: Sendable {
    public let name: String
    public let shape: [Int]
}

/// Runs one .tflite hand model on the CPU. Everything is prepared at load (weights dequantized
/// and repacked, an arena laid out from tensor lifetimes), so `invoke()` allocates nothing.
///
/// Not thread-safe: use one interpreter per stream. Creating several concurrently is safe.
public final class Interpreter {
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]

    /// The arena's owner: an `AlignedBuffer` of its own or a `SharedArena`.
    private let arena: AnyObject
    private let kernels: [Kernel]
    /// What each kernel runs, for profiles: op name, fused ops and output shape.
    let kernelDescriptions: [String]
    private let inputPointers: [UnsafeMutableBufferPointer<Float>]
    private let outputPointers: [UnsafeBufferPointer<Float>]
    private let logger: Logger

    /// - Parameters:
    ///   - sharing: convolution weights shared with other interpreters of the same file.
    ///   - arena: tensor memory shared with interpreters that never run at the same time as this
    ///     one; its own arena when nil.
    ///   - arithmetic: how the convolutions multiply (`MatrixArithmetic`); the process's choice
    ///     unless a test asks for one.
    public init(model url: URL, logger: Logger = Logger(label: "snaprate.engine"), sharing: SharedWeights? = nil,
                arena shared: SharedArena? = nil, arithmetic: MatrixArithmetic = .detected) throws {
        self.logger = logger
        let fileName = url.lastPathComponent
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url, options: .mappedIfSafe))
        } catch {
            throw ModelLoadError("cannot read model \(url.path): \(error.localizedDescription)")
        }
        let model: TFLiteModel
        do {
            model = try TFLiteModel(bytes: bytes)
        } catch {
            throw ModelLoadError("\(fileName) is not a valid tflite model: \(error)")
        }
        let graph = try GraphBuilder(model: model, fileName: fileName)
        let nodes = FusionPass(model: model, constants: graph.constants).run(graph.nodes)
        let plan = try Self.planArena(model: model, nodes: nodes, constants: graph.constants, fileName: fileName)
        let base: UnsafeMutablePointer<Float>
        if let shared {
            guard plan.size <= shared.capacity else {
                throw ModelLoadError("\(fileName) needs an arena of \(plan.size * 4) bytes, more than a shared arena's \(shared.capacity * 4)")
            }
            (arena, base) = (shared, shared.pointer)
        } else {
            let own = AlignedBuffer(count: plan.size)
            (arena, base) = (own, own.pointer)
        }
        let offsets = plan.offsets
        var factory = KernelFactory(model: model, fileName: fileName, constants: graph.constants) { base + offsets[$0]! }
        factory.shared = sharing
        factory.arithmetic = arithmetic
        factory.modelKey = url.standardizedFileURL.path
        kernels = try nodes.map(factory.make)
        kernelDescriptions = nodes.map { node in
            let fused = [node.fusion.residual.map { _ in "+ADD" }, node.fusion.preluSlopes.map { _ in "+PRELU" },
                         node.fusion.postAdd.map { _ in "+ADD" }].compactMap { $0 }.joined()
            let shapes = node.inputs.filter { $0 >= 0 }.prefix(2).map { "\(model.tensors[$0].shape)" }.joined(separator: " ")
            return "\(node.name)\(fused) \(shapes) -> \(model.tensors[node.outputs[0]].shape)"
        }
        inputs = model.inputs.map { TensorInfo(name: model.tensors[$0].name, shape: model.tensors[$0].shape) }
        outputs = model.outputs.map { TensorInfo(name: model.tensors[$0].name, shape: model.tensors[$0].shape) }
        inputPointers = model.inputs.map { UnsafeMutableBufferPointer(start: base + offsets[$0]!, count: factory.count($0)) }
        outputPointers = model.outputs.map { UnsafeBufferPointer(start: base + offsets[$0]!, count: factory.count($0)) }
        logger.debug("loaded \(fileName)", metadata: [
            "ops": "\(model.operators.count)", "kernels": "\(kernels.count)", "arenaBytes": "\(plan.size * 4)",
        ])
    }

    public func outputIndex(named name: String) -> Int? {
        outputs.firstIndex { $0.name == name }
    }

    /// NHWC float32 storage of input `index`; write the input here before invoke().
    public func input(_ index: Int) -> UnsafeMutableBufferPointer<Float> {
        inputPointers[index]
    }

    public func invoke() {
        for kernel in kernels { kernel.run() }
    }

    var kernelCount: Int { kernels.count }

    func runKernel(_ index: Int) {
        kernels[index].run()
    }

    /// Valid until the next invoke() (of any interpreter on the same `SharedArena`).
    public func output(_ index: Int) -> UnsafeBufferPointer<Float> {
        outputPointers[index]
    }

    /// Lifetimes: graph inputs live from the start and outputs to the end (so inputs survive an
    /// invoke and outputs can be read after it); every other tensor from its producer to its
    /// last reader.
    private static func planArena(
        model: TFLiteModel, nodes: [GraphNode], constants: ConstantTensors, fileName: String
    ) throws -> ArenaPlan {
        var first: [Int: Int] = [:], last: [Int: Int] = [:]
        func use(_ tensor: Int, at step: Int) {
            guard tensor >= 0, !constants.isConstant(tensor) else { return }
            first[tensor] = min(first[tensor] ?? step, step)
            last[tensor] = max(last[tensor] ?? step, step)
        }
        for tensor in model.inputs { use(tensor, at: 0) }
        for (step, node) in nodes.enumerated() {
            for tensor in node.reads + node.outputs { use(tensor, at: step) }
        }
        for tensor in model.outputs { use(tensor, at: nodes.count) }
        for tensor in model.inputs { use(tensor, at: nodes.count) }
        for (tensor, step) in first {
            let info = model.tensors[tensor]
            guard info.type == .float32 else {
                throw ModelLoadError(
                    "unsupported tensor type \(TensorType.name(ofCode: info.typeCode)) of tensor '\(info.name)' in \(fileName)")
            }
            // A tensor read before any node writes it must be a graph input.
            if !model.inputs.contains(tensor), !nodes.contains(where: { $0.outputs.contains(tensor) }) {
                throw ModelLoadError("tensor '\(info.name)' is read at step \(step) but never computed in \(fileName)")
            }
        }
        let requests = first.keys.sorted().map { tensor in
            ArenaPlan.Request(
                tensor: tensor, size: model.tensors[tensor].shape.reduce(1, *), firstUse: first[tensor]!,
                lastUse: last[tensor]!)
        }
        return ArenaPlan(requests)
    }
}
