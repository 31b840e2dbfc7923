import Testing
@testable import Revive
import ReviveVocabulary

/// Reading a provider signal: envelopes, bodies and headers.
@Suite("SignalFacts: envelopes and headers")
struct SignalFactsTests {
    private func facts(status: Int = 400, headers: [String: String] = [:], body: String? = nil) throws -> SignalFacts {
        SignalFacts(ProviderSignal(status: status, headers: headers,
                                   body: try body.map { text throws(JSONSyntaxError) in try JSONValue.parse(text) }))
    }

    // MARK: Envelopes

    @Test("Nango's payload.dataMessage is unwrapped to the inner provider error")
    func nangoPayloadIsUnwrapped() throws {
        let facts = try facts(body: #"{"type":"refresh_token_external_error","status":400,"message":"Please try again later.","payload":{"dataMessage":{"error":"invalid_grant","error_description":"Token has been expired or revoked."}}}"#)
        #expect(facts.unwrappedFrom == "nango")
        #expect(facts.codes.contains("invalid_grant"))
        #expect(facts.text.contains("token has been expired or revoked."))
    }

    @Test("The broker's own type is kept as a code beside the inner one")
    func nangoTypeIsKept() throws {
        let facts = try facts(body: #"{"type":"refresh_token_external_error","payload":{"dataMessage":{"error":"invalid_grant"}}}"#)
        #expect(facts.codes == ["refresh_token_external_error", "invalid_grant"])
    }

    @Test("A top-level dataMessage is unwrapped too")
    func topLevelDataMessageIsUnwrapped() throws {
        let facts = try facts(body: #"{"dataMessage":{"error":"invalid_grant"}}"#)
        #expect(facts.unwrappedFrom == "nango")
        #expect(facts.codes == ["invalid_grant"])
    }

    @Test("A dataMessage that is a bare code string is read as a code")
    func bareStringDataMessageIsACode() throws {
        let facts = try facts(body: #"{"payload":{"dataMessage":"invalid_grant"}}"#)
        #expect(facts.codes == ["invalid_grant"])
    }

    @Test("A nested error object (Google, Nango) is read for its string code, status and message")
    func nestedErrorObjectIsRead() throws {
        let facts = try facts(status: 401, body: #"{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}"#)
        #expect(facts.codes == ["unauthenticated"])
        #expect(facts.text == "request had invalid authentication credentials.")
        #expect(facts.unwrappedFrom == nil)
    }

    @Test("Google's errors[].reason and details[].reason are read as codes")
    func googleReasonsAreCodes() throws {
        let facts = try facts(status: 403, body: #"{"error":{"code":403,"errors":[{"reason":"insufficientPermissions"}],"details":[{"reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}}"#)
        #expect(facts.codes.isSuperset(of: ["insufficientpermissions", "access_token_scope_insufficient"]))
    }

    @Test("Salesforce's JSON array of {errorCode, message} is read item by item")
    func salesforceArrayIsRead() throws {
        let facts = try facts(status: 401, body: #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
        #expect(facts.codes == ["invalid_session_id"])
        #expect(facts.text == "session expired or invalid")
    }

    @Test("Scalekit's connected_account status becomes a connected_account_ code")
    func scalekitStateIsACode() throws {
        let facts = try facts(body: #"{"connected_account":{"status":"EXPIRED"}}"#)
        #expect(facts.codes == ["connected_account_expired"])
        #expect(facts.unwrappedFrom == "scalekit")
    }

    @Test("Slack's needed scopes are split on commas")
    func slackNeededIsSplit() throws {
        let facts = try facts(status: 200, body: #"{"ok":false,"error":"missing_scope","needed":"chat:write,files:write","provided":"channels:read"}"#)
        #expect(facts.neededScopes == ["chat:write", "files:write"])
    }

    @Test("AADSTS numbers are read from error_codes")
    func aadstsFromErrorCodes() throws {
        let facts = try facts(body: #"{"error":"invalid_grant","error_codes":[700082]}"#)
        #expect(facts.aadstsCodes == [700082])
    }

    @Test("AADSTS numbers are read from the description text")
    func aadstsFromText() throws {
        let facts = try facts(body: #"{"error":"invalid_grant","error_description":"AADSTS50076: Due to a configuration change…"}"#)
        #expect(facts.aadstsCodes == [50076])
    }

    @Test("Codes are lower-cased and trimmed")
    func codesAreNormalised() {
        let facts = SignalFacts(ProviderSignal(status: 400, error: "  Invalid_Grant\n"))
        #expect(facts.codes == ["invalid_grant"])
    }

    @Test("Numeric status fields in a body are not read as codes")
    func numericStatusIsNotACode() throws {
        let facts = try facts(body: #"{"status":400,"code":401}"#)
        #expect(facts.codes.isEmpty)
    }

    // MARK: Retry-After

    @Test("Retry-After in seconds becomes the wait")
    func retryAfterSeconds() throws {
        #expect(try facts(status: 429, headers: ["Retry-After": "120"]).retryAfter == .seconds(120))
    }

    @Test("Header names are matched case-insensitively")
    func headerNamesIgnoreCase() throws {
        #expect(try facts(status: 429, headers: ["retry-after": " 7 "]).retryAfter == .seconds(7))
    }

    @Test("Retry-After as an HTTP-date is measured from the response's Date header")
    func retryAfterHTTPDate() throws {
        let facts = try facts(status: 429, headers: ["Retry-After": "Wed, 21 Oct 2015 07:30:00 GMT",
                                                     "Date": "Wed, 21 Oct 2015 07:28:00 GMT"])
        #expect(facts.retryAfter == .seconds(120))
    }

    @Test("Retry-After as an HTTP-date across midnight and a month end")
    func retryAfterHTTPDateAcrossMonth() throws {
        let facts = try facts(status: 429, headers: ["Retry-After": "Sun, 01 Nov 2015 00:01:00 GMT",
                                                     "Date": "Sat, 31 Oct 2015 23:59:30 GMT"])
        #expect(facts.retryAfter == .seconds(90))
    }

    @Test("An HTTP-date already past the Date header means no wait")
    func retryAfterHTTPDateInThePast() throws {
        let facts = try facts(status: 429, headers: ["Retry-After": "Wed, 21 Oct 2015 07:20:00 GMT",
                                                     "Date": "Wed, 21 Oct 2015 07:28:00 GMT"])
        #expect(facts.retryAfter == .zero)
    }

    @Test("An HTTP-date Retry-After without a Date header gives no wait (no clock is read)")
    func retryAfterHTTPDateWithoutDate() throws {
        #expect(try facts(status: 429, headers: ["Retry-After": "Wed, 21 Oct 2015 07:30:00 GMT"]).retryAfter == nil)
    }

    @Test("A negative or malformed Retry-After is ignored")
    func retryAfterMalformed() throws {
        #expect(try facts(status: 429, headers: ["Retry-After": "-5"]).retryAfter == nil)
        #expect(try facts(status: 429, headers: ["Retry-After": "soon"]).retryAfter == nil)
    }

    @Test("A signal's explicit retryAfter wins over its header")
    func explicitRetryAfterWins() {
        let facts = SignalFacts(ProviderSignal(status: 429, retryAfter: .seconds(5), headers: ["Retry-After": "120"]))
        #expect(facts.retryAfter == .seconds(5))
    }

    @Test("x-ratelimit-remaining: 0 marks the budget spent and x-ratelimit-reset sets the wait")
    func rateLimitHeaders() throws {
        let facts = try facts(status: 403, headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "1445412780",
                                                     "Date": "Wed, 21 Oct 2015 07:28:00 GMT"])
        #expect(facts.rateLimitExhausted)
        #expect(facts.retryAfter == .seconds(300))
    }

    @Test("A Retry-After header wins over x-ratelimit-reset")
    func retryAfterBeatsReset() throws {
        let facts = try facts(status: 403, headers: ["retry-after": "60", "x-ratelimit-remaining": "0",
                                                     "x-ratelimit-reset": "1445412780", "Date": "Wed, 21 Oct 2015 07:28:00 GMT"])
        #expect(facts.retryAfter == .seconds(60))
    }

    @Test("Remaining budget above 0 is not exhausted")
    func rateLimitNotExhausted() throws {
        #expect(try facts(status: 403, headers: ["x-ratelimit-remaining": "12"]).rateLimitExhausted == false)
    }

    // MARK: WWW-Authenticate

    @Test("WWW-Authenticate error= becomes a code and error_description text")
    func challengeErrorAndDescription() throws {
        let facts = try facts(status: 401, headers: ["WWW-Authenticate": #"Bearer realm="example", error="invalid_token", error_description="The access token expired""#])
        #expect(facts.codes == ["invalid_token"])
        #expect(facts.text == "the access token expired")
    }

    @Test("WWW-Authenticate scope= lists the needed scopes, space-separated")
    func challengeScope() throws {
        let facts = try facts(status: 403, headers: ["WWW-Authenticate": #"Bearer realm="example", error="insufficient_scope", scope="calendar.read calendar.write""#])
        #expect(facts.codes == ["insufficient_scope"])
        #expect(facts.neededScopes == ["calendar.read", "calendar.write"])
    }

    @Test("Unquoted challenge parameters are read up to the next comma")
    func challengeUnquoted() throws {
        let facts = try facts(status: 401, headers: ["www-authenticate": "Bearer error=invalid_token, realm=api"])
        #expect(facts.codes == ["invalid_token"])
    }

    @Test("A comma inside a quoted challenge value does not split it")
    func challengeQuotedComma() throws {
        let facts = try facts(status: 401, headers: ["WWW-Authenticate": #"Bearer error_description="expired, please refresh", error="invalid_token""#])
        #expect(facts.codes == ["invalid_token"])
        #expect(facts.text == "expired, please refresh")
    }

    @Test("Empty quoted values (realm=\"\") do not disturb later parameters")
    func challengeEmptyValue() throws {
        let facts = try facts(status: 401, headers: ["WWW-Authenticate": #"Bearer realm="", error="insufficient_claims", claims="eyJhY3JzIjoiYzEifQ==""#])
        #expect(facts.codes == ["insufficient_claims"])
    }

    @Test("A challenge with only a scheme yields nothing")
    func challengeSchemeOnly() throws {
        let facts = try facts(status: 401, headers: ["WWW-Authenticate": "Bearer"])
        #expect(facts.codes.isEmpty)
        #expect(facts.neededScopes.isEmpty)
    }

    // MARK: Codes

    @Test("A code read twice, in any case, is one code")
    func repeatedCodeIsOne() throws {
        let facts = try facts(body: #"{"error":"Invalid_Grant","code":"invalid_grant","errors":[{"code":"INVALID_GRANT"}]}"#)
        #expect(facts.codes == ["invalid_grant"])
    }

    @Test("Facts whose codes were read in another order are equal")
    func codeOrderIsNoFact() {
        let first = SignalFacts(ProviderSignal(status: 400, error: "token_revoked", body: .object([(key: "code", value: .string("invalid_auth"))])))
        let second = SignalFacts(ProviderSignal(status: 400, error: "invalid_auth", body: .object([(key: "code", value: .string("token_revoked"))])))
        #expect(first == second)
        #expect(first.codes == ["token_revoked", "invalid_auth"])
        var changed = first
        changed.codes.insert("account_inactive")
        #expect(changed != first)
        #expect(changed.codes == ["token_revoked", "invalid_auth", "account_inactive"])
    }

    // MARK: HTTP dates

    @Test("HTTPDate parses the RFC 9110 example IMF-fixdate")
    func httpDateExample() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
    }

    @Test("HTTPDate handles a leap day")
    func httpDateLeapDay() {
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 00:00:00 GMT") == 1_709_164_800)
    }

    @Test("HTTPDate rejects the obsolete RFC 850 and asctime forms and non-GMT zones",
          arguments: ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 PST",
                      "Sun, 06 Nov 1994 25:49:37 GMT", "", "120"])
    func httpDateRejects(_ text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }
}
