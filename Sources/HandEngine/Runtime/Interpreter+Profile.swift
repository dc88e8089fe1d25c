import Dispatch

extension Interpreter {
    /// Runs every kernel `repetitions` times in graph order and returns each kernel's best time in
    /// milliseconds with its description: for finding the slow layers, not for benchmarking.
    func profileKernels(repetitions: Int = 20) -> [(description: String, milliseconds: Double)] {
        var best = [UInt64](repeating: .max, count: kernelCount)
        for _ in 0..<repetitions {
            for index in 0..<kernelCount {
                let start = DispatchTime.now().uptimeNanoseconds
                runKernel(index)
                best[index] = min(best[index], DispatchTime.now().uptimeNanoseconds - start)
            }
        }
        return zip(kernelDescriptions, best).map { ($0, Double($1) / 1e6) }
    }
}
