import Foundation
import RatingRing
import Testing

/// A test element: which producer made it and its number there.
struct Stamp: Sendable, Equatable {
    var producer: UInt64
    var number: UInt64
}

@Suite(.timeLimit(.minutes(15))) struct RingBufferTests {
    @Test func aRingHoldsExactlyItsCapacity() async {
        let ring = RingBuffer<Stamp>(capacity: 100)
        let cursor = ring.makeCursor(gating: false)
        for number in 0..<103 as Range<UInt64> { await ring.publish(Stamp(producer: 0, number: number)) }
        guard case .gap(0, 2)? = cursor.poll() else {
            Issue.record("the three oldest should be gone")
            return
        }
        var numbers: [UInt64] = []
        while case .element(_, let stamp)? = cursor.poll() { numbers.append(stamp.number) }
        #expect(numbers == Array(3..<103))
        #expect(ring.element(before: ring.nextSequence)?.number == 102)
    }

    @Test func aGatingCursorReadsEverythingInOrderAcrossManyLaps() async {
        let ring = RingBuffer<Stamp>(capacity: 16)
        let cursor = ring.makeCursor(gating: true)
        let producer = Task {
            for number in 0..<5000 as Range<UInt64> { await ring.publish(Stamp(producer: 0, number: number)) }
        }
        var received: [UInt64] = []
        while received.count < 5000, case .element(let sequence, let stamp)? = await cursor.next() {
            #expect(sequence == stamp.number)
            received.append(stamp.number)
        }
        await producer.value
        #expect(received == Array(0..<5000))
    }

    @Test func concurrentProducersLoseNothingForAGatingCursor() async {
        let ring = RingBuffer<Stamp>(capacity: 64)
        let cursor = ring.makeCursor(gating: true)
        let producers = 4, each = 2500
        let work = Task {
            await withTaskGroup(of: Void.self) { group in
                for producer in 0..<producers {
                    group.addTask {
                        for number in 0..<each { await ring.publish(Stamp(producer: UInt64(producer), number: UInt64(number))) }
                    }
                }
            }
        }
        var lastNumber = [Int](repeating: -1, count: producers)
        var count = 0
        while count < producers * each, let read = await cursor.next() {
            guard case .element(_, let stamp) = read else {
                Issue.record("a gating cursor must never see a gap")
                break
            }
            #expect(Int(stamp.number) == lastNumber[Int(stamp.producer)] + 1, "each producer's elements arrive in its order")
            lastNumber[Int(stamp.producer)] = Int(stamp.number)
            count += 1
        }
        await work.value
        #expect(lastNumber == [Int](repeating: each - 1, count: producers))
    }

    @Test func aSlowCursorGetsAGapAndNeverHoldsProducersBack() async {
        let ring = RingBuffer<Stamp>(capacity: 16)
        let slow = ring.makeCursor(gating: false)
        for number in 0..<100 as Range<UInt64> { await ring.publish(Stamp(producer: 0, number: number)) }
        guard case .gap(let from, let to)? = slow.poll() else {
            Issue.record("expected a gap")
            return
        }
        #expect(from == 0 && to == 83)
        var rest: [UInt64] = []
        while case .element(_, let stamp)? = slow.poll() { rest.append(stamp.number) }
        #expect(rest == Array(84..<100))
    }

    @Test func producersWaitForTheGatingCursorWhenTheRingIsFull() async throws {
        let ring = RingBuffer<Stamp>(capacity: 8)
        let cursor = ring.makeCursor(gating: true)
        for number in 0..<8 as Range<UInt64> { await ring.publish(Stamp(producer: 0, number: number)) }
        let blocked = Task { await ring.publish(Stamp(producer: 0, number: 8)) }
        try await Task.sleep(for: .milliseconds(100))
        // The ninth element waits for room: it is not in the ring yet.
        #expect(ring.backlog == 8)
        #expect(cursor.lag == 8)
        #expect(ring.nextSequence == 8)
        guard case .element(0, _)? = cursor.poll() else {
            Issue.record("expected element 0")
            return
        }
        #expect(await blocked.value == 8)
        var numbers: [UInt64] = []
        while case .element(_, let stamp)? = cursor.poll() { numbers.append(stamp.number) }
        #expect(numbers == Array(1...8))
    }

    @Test func aWaitingCursorWakesForANewElement() async throws {
        let ring = RingBuffer<Stamp>(capacity: 8)
        let cursor = ring.makeCursor(gating: false)
        let reader = Task { await cursor.next() }
        try await Task.sleep(for: .milliseconds(50))
        await ring.publish(Stamp(producer: 7, number: 1))
        guard case .element(0, let stamp)? = await reader.value else {
            Issue.record("expected the element")
            return
        }
        #expect(stamp == Stamp(producer: 7, number: 1))
    }

    @Test func cancellingAWaitingCursorReturnsNil() async throws {
        let ring = RingBuffer<Stamp>(capacity: 8)
        let cursor = ring.makeCursor(gating: false)
        let reader = Task { await cursor.next() }
        try await Task.sleep(for: .milliseconds(20))
        reader.cancel()
        #expect(await reader.value == nil)
    }

    @Test func droppingAGatingCursorReleasesProducers() async {
        let ring = RingBuffer<Stamp>(capacity: 4)
        var cursor: RingCursor<Stamp>? = ring.makeCursor(gating: true)
        for number in 0..<4 as Range<UInt64> { await ring.publish(Stamp(producer: 0, number: number)) }
        #expect(cursor?.lag == 4)
        cursor = nil
        await ring.publish(Stamp(producer: 0, number: 4))
        #expect(ring.backlog == 0)
    }
}
