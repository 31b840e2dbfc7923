import Foundation
import ReviveLab
import Testing

/// The executable hands the lab only the environment variables `LabCommand.environmentVariables`
/// names: a variable read anywhere else would silently never be set.
struct EnvironmentVariablesTests {
    @Test func everyVariableTheLabReadsIsHandedOver() throws {
        let pattern = try NSRegularExpression(pattern: #"environment\["([A-Z_]+)"\]"#)
        var read = Set<String>()
        for file in try ArchitectureTests.sources(of: "ReviveLab") {
            let text = file.text as NSString
            for match in pattern.matches(in: file.text, range: NSRange(location: 0, length: text.length)) {
                read.insert(text.substring(with: match.range(at: 1)))
            }
        }
        #expect(read.contains("NO_COLOR"), "the scan found no read of NO_COLOR: the pattern no longer matches the code")
        #expect(read.isSubset(of: Set(LabCommand.environmentVariables)),
                "read but never handed over: \(read.subtracting(LabCommand.environmentVariables).sorted())")
    }
}
