/// A small table's keys and values in one allocation: `capacity` keys, then `capacity` values
/// from the first offset past the keys that suits the values' alignment. The store's `RowTable`
/// and the world's `SmallTable` keep their rows so: two blocks cost a second allocation and
/// release each time a table grows.
package enum KeyValueBlock {
    /// A block for `capacity` rows holding the `count` rows of `keys` and `values` (moved over, and
    /// their block freed), or an empty one when there are none yet. Inlinable, so that each table
    /// gets it specialized for its own key and value types.
    @inlinable
    package static func grow<Key, Value>(keys: UnsafeMutablePointer<Key>?, values: UnsafeMutablePointer<Value>?,
                                         count: Int, to capacity: Int) -> (UnsafeMutablePointer<Key>, UnsafeMutablePointer<Value>) {
        let valueAlignment = MemoryLayout<Value>.alignment
        let valuesAt = (capacity * MemoryLayout<Key>.stride + valueAlignment - 1) / valueAlignment * valueAlignment
        let block = UnsafeMutableRawPointer.allocate(byteCount: valuesAt + capacity * MemoryLayout<Value>.stride,
                                                     alignment: max(MemoryLayout<Key>.alignment, valueAlignment))
        let newKeys = block.bindMemory(to: Key.self, capacity: capacity)
        let newValues = (block + valuesAt).bindMemory(to: Value.self, capacity: capacity)
        if let keys, let values {
            newKeys.moveInitialize(from: keys, count: count)
            newValues.moveInitialize(from: values, count: count)
            UnsafeMutableRawPointer(keys).deallocate()
        }
        return (newKeys, newValues)
    }

    /// Destroys the `count` rows of a block from `grow` and frees it. Each row is moved out, so
    /// its destruction is code compiled for its types, not the general `deinitialize(count:)`.
    @inlinable
    package static func free<Key, Value>(keys: UnsafeMutablePointer<Key>?, values: UnsafeMutablePointer<Value>?, count: Int) {
        guard let keys, let values else { return }
        var left = count
        while left > 0 {
            left -= 1
            _ = (keys + left).move()
            _ = (values + left).move()
        }
        UnsafeMutableRawPointer(keys).deallocate()
    }
}
