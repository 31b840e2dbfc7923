import Foundation
import Testing

/// The PostgreSQL decision log's writer chains catch a decision deleted behind the store's back,
/// in the middle of a chain and at its newest end. Each test plays into a database of its own
/// (`PostgresTestDatabase`), so tampering never touches another test's.
struct PostgresDecisionLogTests {
    @Test(.enabled(if: PostgresStoreTests.hasServer))
    func aDecisionDeletedInTheMiddleOfAChainIsReportedExit2() throws {
        try PostgresTestDatabase.with { url in
            let played = try Lab.run(["run", "scenarios/revoked-grant.json", "scenarios/worker-loss.json", "--store", url])
            try #require(played.status == 0, "\(played.summary)")
            #expect(try Lab.run(["history", "--store", url]).status == 0, "an untouched log opens")
            try #require(try PostgresTestDatabase.psql(url, "DELETE FROM decisions WHERE writer_seq = 3") == 0)
            let opened = try Lab.run(["history", "--store", url])
            #expect(opened.status == 2, "\(opened.summary)")
            #expect(opened.stderr.contains("breaks writer 1's digest chain at entry 3"), "\(opened.stderr)")
            #expect(!opened.showsCrash)
        }
    }

    @Test(.enabled(if: PostgresStoreTests.hasServer))
    func theNewestDecisionDeletedIsCaughtByItsWritersAnchor() throws {
        try PostgresTestDatabase.with { url in
            let played = try Lab.run(["run", "scenarios/revoked-grant.json", "--store", url])
            try #require(played.status == 0, "\(played.summary)")
            try #require(try PostgresTestDatabase.psql(url, "DELETE FROM decisions WHERE writer_seq = (SELECT max(writer_seq) FROM decisions)") == 0)
            let opened = try Lab.run(["run", "scenarios/revoked-grant.json", "--store", url])
            #expect(opened.status == 2, "\(opened.summary)")
            #expect(opened.stderr.contains("its newest decisions were deleted"), "\(opened.stderr)")
        }
    }

    @Test(.enabled(if: PostgresStoreTests.hasServer))
    func manyWritersEachKeepTheirOwnChainUnderStress() throws {
        try PostgresTestDatabase.with { url in
            let fixtures = try Fixtures()
            let stressed = try Lab.run(["stress", "--contention", "--store", url, "--processes", "3", "--runs", "12", "--kills", "2", "--seed", "3",
                                        "--output", fixtures.directory.path])
            #expect(stressed.status == 0, "\(stressed.summary)")
            // Every process (and each restart) wrote its own chain, and all of them verify on open.
            #expect(try Lab.run(["history", "--store", url]).status == 0)
            try #require(try PostgresTestDatabase.psql(url, "UPDATE decisions SET body = body || ' ' WHERE seq = (SELECT min(seq) FROM decisions)") == 0)
            let opened = try Lab.run(["history", "--store", url])
            #expect(opened.status == 2 && opened.stderr.contains("digest chain"), "\(opened.summary)")
        }
    }
}
