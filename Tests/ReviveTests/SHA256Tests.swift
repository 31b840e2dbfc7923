import Testing
@testable import Revive
import ReviveVocabulary

/// SHA-256 against the FIPS 180-4 examples and padding boundaries.
@Suite("SHA256: FIPS 180-4 vectors")
struct SHA256Tests {
    @Test("The empty message")
    func empty() {
        #expect(SHA256.hexDigest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("The one-block message \"abc\"")
    func abc() {
        #expect(SHA256.hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("The two-block 448-bit message")
    func twoBlock448() {
        #expect(SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("The 896-bit message")
    func message896() {
        #expect(SHA256.hexDigest("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
            == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test("One million 'a' characters")
    func millionA() {
        #expect(SHA256.hexDigest(String(repeating: "a", count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    struct Boundary: Sendable, CustomTestStringConvertible {
        let length: Int
        let digest: String
        var testDescription: String { "\(length) × 'a'" }
    }

    @Test("Messages either side of the padding boundaries", arguments: [
        Boundary(length: 55, digest: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        Boundary(length: 56, digest: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        Boundary(length: 63, digest: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        Boundary(length: 64, digest: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        Boundary(length: 65, digest: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        Boundary(length: 119, digest: "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        Boundary(length: 120, digest: "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ])
    func paddingBoundaries(_ boundary: Boundary) {
        #expect(SHA256.hexDigest(String(repeating: "a", count: boundary.length)) == boundary.digest)
    }

    @Test("Text is hashed as its UTF-8 bytes")
    func utf8Bytes() {
        #expect(SHA256.hexDigest("été 😀") == "b6f737808912766258ebee9db7f560a07aee90dae75779f3009d35bb1873b4f9")
    }

    @Test("digest returns 32 bytes matching the hex form")
    func rawDigest() {
        let bytes = SHA256.digest(Array("abc".utf8))
        #expect(bytes.count == 32)
        #expect(bytes.prefix(4) == [0xba, 0x78, 0x16, 0xbf])
    }
}
