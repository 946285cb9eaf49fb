import { describe, expect, test } from "vitest";
import { matchesEvent, parseFilterPattern } from "../../src/patterns/index.js";

function matches(pattern: string, event: unknown, raw?: string): boolean | undefined {
  const result = parseFilterPattern(pattern);
  if (!result.ok) throw new Error(result.error.message);
  return matchesEvent(result.parsed.pattern, event, raw);
}

const event = {
  eventName: "ConsoleLogin",
  eventSource: "signin.amazonaws.com",
  errorCode: "Client.UnauthorizedOperation",
  sourceIPAddress: "123.123.4.5",
  latency: 500,
  code: 404,
  flag: true,
  off: false,
  nothing: null,
  userIdentity: { type: "Root", accountId: "111122223333" },
  additionalEventData: { MFAUsed: "No" },
  list: ["first", { id: 2, email: "john.doe@example.com" }],
  message: "bind: address already in use",
};

describe("string comparisons", () => {
  test.each([
    ['{ $.eventName = "ConsoleLogin" }', true],
    ["{ $.eventName = ConsoleLogin }", true],
    ['{ $.eventName = "consolelogin" }', false],
    ['{ $.eventName = "Console" }', false],
    ['{ $.eventName != "ConsoleLogin" }', false],
    ['{ $.eventName != "CreateTrail" }', true],
    ['{ $.errorCode = "*UnauthorizedOperation" }', true],
    ['{ $.errorCode = "Client.*" }', true],
    ['{ $.errorCode = "*Unauthorized*" }', true],
    ['{ $.errorCode = "AccessDenied*" }', false],
    ["{ $.sourceIPAddress != 123.123.* }", false],
    ["{ $.sourceIPAddress = 123.123.* }", true],
    ['{ $.eventName = "*" }', true],
    ["{ $.eventName = * }", true],
    ["{ $.userIdentity.type = Root }", true],
    ['{ $.additionalEventData.MFAUsed != "Yes" }', true],
    ['{ $.list[0] = "first" }', true],
    ['{ $.list[1].email = "john.doe@example.com" }', true],
    ["{ $.list[1].id = 2 }", true],
    ["{ $.list[2] = * }", false],
    ["{ $.message = %address% }", true],
    ["{ $.message = %^address% }", false],
  ])("%s → %s", (pattern, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  test("a dot in a value is a dot, not any character", () => {
    expect(matches("{ $.eventSource = signin.amazonaws.com }", event)).toBe(true);
    expect(matches("{ $.eventSource = signin.amazonaws.com }", { eventSource: "signinXamazonawsXcom" })).toBe(
      false,
    );
  });
});

describe("a comparison needs its field", () => {
  test.each([
    ['{ $.missing = "x" }', false],
    ['{ $.missing != "x" }', false],
    ["{ $.missing = * }", false],
    ["{ $.missing > 1 }", false],
    ["{ $.missing NOT EXISTS }", true],
    ["{ $.eventName NOT EXISTS }", false],
    ["{ $.userIdentity.invokedBy NOT EXISTS }", true],
    ['{ $.eventName.deeper = "x" }', false],
    ["{ $.list[5] NOT EXISTS }", true],
  ])("%s → %s", (pattern, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});

describe("numbers", () => {
  test.each([
    ["{ $.latency >= 500 }", true],
    ["{ $.latency > 500 }", false],
    ["{ $.latency <= 500 }", true],
    ["{ $.latency < 500 }", false],
    ["{ $.latency < 500.5 }", true],
    ["{ $.latency > -1 }", true],
    ["{ $.code = 404 }", true],
    ["{ $.code != 404 }", false],
    ["{ $.code != 500 }", true],
    ['{ $.code = "404" }', true],
    ["{ $.eventName > 1 }", false],
  ])("%s → %s", (pattern, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});

describe("IS TRUE, IS FALSE, IS NULL", () => {
  test.each([
    ["{ $.flag IS TRUE }", true],
    ["{ $.flag IS FALSE }", false],
    ["{ $.off IS FALSE }", true],
    ["{ $.off IS TRUE }", false],
    ["{ $.nothing IS NULL }", true],
    ["{ $.missing IS NULL }", false],
    ["{ $.eventName IS TRUE }", false],
    ['{ $.nothing = "null" }', false],
  ])("%s → %s", (pattern, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});

describe("&& and ||", () => {
  test.each([
    ["{ $.eventName = ConsoleLogin && $.userIdentity.type = Root }", true],
    ["{ $.eventName = ConsoleLogin && $.userIdentity.type = IAMUser }", false],
    ["{ $.eventName = CreateTrail || $.userIdentity.type = Root }", true],
    ["{ $.eventName = CreateTrail || $.userIdentity.type = IAMUser }", false],
    ["{ ($.eventName = CreateTrail || $.eventName = ConsoleLogin) && $.latency > 100 }", true],
    ["{ $.eventName = CreateTrail || $.eventName = ConsoleLogin && $.latency > 1000 }", false],
    ["{ ($.eventName = CreateTrail || $.eventName = ConsoleLogin) && $.latency > 1000 }", false],
  ])("%s → %s", (pattern, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});

describe("JSON patterns do not match what is not a JSON object", () => {
  test.each([[null], ["ConsoleLogin"], [42], [["ConsoleLogin"]]])("%j", (value) => {
    expect(matches("{ $.eventName = * || $.missing NOT EXISTS }", value)).toBe(false);
  });
});

describe("terms, regular expressions and the rest match the raw text", () => {
  const raw = '{"eventName":"ConsoleLogin","errorMessage":"Failed authentication"}';
  test.each([
    ["ConsoleLogin", true],
    ["Console", true],
    ["consolelogin", false],
    ['"Failed authentication"', true],
    ["ConsoleLogin Failed", true],
    ["ConsoleLogin CreateTrail", false],
    ["?CreateTrail ?ConsoleLogin", true],
    ["?CreateTrail ?DeleteTrail", false],
    ["ConsoleLogin -Failed", false],
    ["ConsoleLogin -Success", true],
    ["%Failed auth[a-z]+%", true],
    ["%^Failed%", false],
    ['" "', true],
    ["", true],
  ])("%s → %s", (pattern, expected) => {
    expect(matches(pattern, JSON.parse(raw), raw)).toBe(expected);
  });

  test("without the raw text, the event's compact JSON is searched", () => {
    expect(matches('"signin.amazonaws.com"', event)).toBe(true);
    expect(matches('"\\"eventName\\":\\"ConsoleLogin\\""', event)).toBe(true);
  });

  test("regular expressions from an input are matched in linear time, however many stars they hold", () => {
    // As a JavaScript regular expression, this pattern backtracks for minutes over an event's text.
    const stars = ".*".repeat(14);
    expect(matches(`%${stars}QQQ%`, event)).toBe(false);
    expect(matches(`{ $.message = %${stars}use$% }`, event)).toBe(true);
    expect(matches(`%${stars}ConsoleLogin${stars}%`, event)).toBe(true);
  });

  test("a space-delimited pattern is not evaluated", () => {
    expect(matches("[ip, user, status = 404]", event)).toBeUndefined();
  });
});
