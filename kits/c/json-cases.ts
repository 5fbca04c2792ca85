// JSON texts for the C kit's parser tests: valid ones (echoed and compared with JSON.parse),
// invalid ones (answered with an error value), and ill-formed UTF-8 inside strings.
export const jsonCases = {
  valid: [
    'null', 'true', 'false', '0', '-1', '42', ' \t\n\r 7 \r\n', '9007199254740993', '-9223372036854775808',
    '1.5', '-0.25', '1e3', '1E-2', '2.5e+10', '123456789012345678901234567890', '1e-7', '5e-324', '1.7976931348623157e308',
    '""', '"plain"', '"h\u00e9llo w\u00f6rld \u20ac \ud83d\ude00"', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\u0041\\u00e9\\u20AC\\ud83d\\ude00"',
    '"\\u0000 and \\u001f and \u007f"', '"\u2028\u2029"', '"tab\\tnewline\\n"',
    '[]', '{}', '[ ]', '{ }', '[1,2,3]', '[[[]]]', '[null,true,false,"s",1,-1.5,{},[]]',
    '{"a":1,"b":[1,2,{"c":"d"}],"e":{"f":{"g":null}}}', '{"":0}', '{"k\\u0000ey":1}', '{"\u00e9":"\u00e9"}',
    ' { "spaced" : [ 1 , 2 ] , "x" : { } } ', JSON.stringify({ list: Array.from({ length: 100 }, (_, i) => [i, `${i}`]) }),
  ],
  invalid: [
    '', ' ', 'nul', 'tru', 'fals', 'nulll', 'True', 'NaN', 'Infinity', '-Infinity', 'undefined', "'a'",
    '01', '-01', '1.', '.5', '-', '+1', '1e', '1e+', '0x10', '1_000', '- 1',
    '"abc', '"\\x"', '"\\u12"', '"\\u12G4"', '"\\', '"tab\there"', '"new\nline"',
    '[', ']', '[1', '[1,]', '[,1]', '[1 2]', '{', '}', '{"a"}', '{"a":}', '{a:1}', '{"a":1,}', '{"a" 1}', '{,}', '{"a":1 "b":2}',
    '1 2', 'null x', '[]]', '{}}', '"a" "b"', '\u00a0 1',
  ],
  illFormedUtf8: [
    [0x22, 0xff, 0x22], [0x22, 0xc0, 0x80, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22], [0x22, 0xf5, 0x80, 0x80, 0x80, 0x22],
    [0x22, 0xe2, 0x82, 0x22], [0x22, 0x80, 0x22], [0x22, 0xf0, 0x8f, 0xbf, 0xbf, 0x22], [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22],
  ],
};
