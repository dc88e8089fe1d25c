import Foundation
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(15))) struct SetupCommandTests {
    /// A wheel whose model files are not MediaPipe's: setup must refuse it and install nothing.
    @Test func aWheelWithWrongModelsIsRefused() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-setup-test-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let wheel = scratch.appendingPathComponent("fake.whl").path
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = ["python3", "-c", """
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w") as z:
            for d, n in [("palm_detection", "palm_detection_lite"), ("palm_detection", "palm_detection_full"),
                         ("hand_landmark", "hand_landmark_lite"), ("hand_landmark", "hand_landmark_full")]:
                z.writestr(f"mediapipe/modules/{d}/{n}.tflite", b"not a model")
        """, wheel]
        try make.run()
        make.waitUntilExit()
        #expect(make.terminationStatus == 0)

        let models = scratch.appendingPathComponent("models")
        let run = try SnapRateRun(["setup", "--wheel", wheel, "--models", models.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("has sha256"))
        let installed = (try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []
        #expect(installed.filter { $0.hasSuffix(".tflite") }.isEmpty)
    }
}
