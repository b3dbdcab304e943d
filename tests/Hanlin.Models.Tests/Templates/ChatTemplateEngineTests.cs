using Hanlin.Core.Errors;
using Hanlin.Models.Templates;

namespace Hanlin.Models.Tests.Templates;

/// <summary>
/// Semantics of the template engine, case by case. Every expected string below is what Jinja2 3.1.6 renders
/// for the same template and variables under transformers' settings (ImmutableSandboxedEnvironment,
/// trim_blocks, lstrip_blocks, loopcontrols, tojson as json.dumps(ensure_ascii=False)).
/// </summary>
public sealed class ChatTemplateEngineTests
{
    private static Dictionary<string, object?> Variables() => new(StringComparer.Ordinal)
    {
        ["messages"] = new List<object?>
        {
            new Dictionary<string, object?> { ["role"] = "system", ["content"] = " Hi " },
            new Dictionary<string, object?> { ["role"] = "user", ["content"] = "你好" },
        },
        ["n"] = 3,
        ["x"] = 2.5,
        ["s"] = "  Hello World  ",
        ["items"] = new[] { "b", "a", "c" },
        ["d"] = new Dictionary<string, object?> { ["k"] = "v", ["n"] = 1 },
        ["empty"] = Array.Empty<string>(),
        ["none"] = null,
        ["flag"] = true,
    };

    [Theory]
    [InlineData("a  {%- if true -%}  b  {%- endif -%}  c", "abc")]
    [InlineData("line1\n    {% if true %}\n    x\n    {% endif %}\nend", "line1\n    x\nend")]
    [InlineData("{{ 'a' }}\n{{ 'b' }}\n", "a\nb")]
    [InlineData("  {%+ if true %}x{% endif +%}\ny", "  x\ny")]
    [InlineData("{# comment #}\nA  {#- c -#}  B", "AB")]
    [InlineData("  {# indented comment #}\nA", "A")]
    [InlineData("x {% if true %}\ny{% endif %}", "x y")]
    [InlineData("{% for i in items %}{{ loop.index0 }}{{ loop.index }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}|{% endfor %}", "01TrueFalse33|12FalseFalse32|23FalseTrue31|")]
    [InlineData("{% for i in empty %}x{% else %}none{% endfor %}", "none")]
    [InlineData("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "k=v;n=1;")]
    [InlineData("{% for k, v in d|items %}{{ k }}={{ v }};{% endfor %}{% for k in d %}{{ k }}{% endfor %}", "k=v;n=1;kn")]
    [InlineData("{% for i in items if i != 'a' %}{{ loop.index }}{{ i }}{% endfor %}", "1b2c")]
    [InlineData("{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i > 4 %}{% break %}{% endif %}{{ i }}{% endfor %}", "0134")]
    [InlineData("{% set a = 1 %}{% for i in items %}{% set a = a + 1 %}{{ a }}{% endfor %}{{ a }}", "2221")]
    [InlineData("{% set ns = namespace(c=0, found=false) %}{% for i in items %}{% set ns.c = ns.c + 1 %}{% if i == 'a' %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.c }}{{ ns.found }}", "3True")]
    [InlineData("{% if true %}{% set b = 'in' %}{% endif %}{{ b }}", "in")]
    [InlineData("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', punct='?') }} {{ greet(name='C') }}", "Hi A! Hi B? Hi C!")]
    [InlineData("{{ 1 + 2 * 3 }} {{ 7 // 2 }} {{ 7 / 2 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 1 ~ 'a' ~ none }} {{ -7 // 2 }} {{ 7.5 // 2 }} {{ 1 + 1.0 }}", "7 3 3.5 2 1024 1aNone -4 3.0 2.0")]
    [InlineData("{{ 'abc'[::-1] }} {{ items[1:] }} {{ items[-1] }} {{ 'hello'[1:3] }} {{ items[::2] }} {{ items[:-1] }} {{ '你好世界'[1:] }}", "cba ['a', 'c'] c el ['b', 'c'] ['b', 'a'] 好世界")]
    [InlineData("{{ not none }} {{ 'a' in 'cat' }} {{ 'x' not in items }} {{ 1 < 2 < 3 }} {{ none is none }} {{ undefined_var is defined }} {{ 'k' in d }} {{ 2 in [1, 2] }}", "True True True True True False True True")]
    [InlineData("{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ s.split() }}|{{ 'a,b,,c'.split(',') }}|{{ s.strip().startswith('Hell') }}|{{ 'x.py'.endswith(('.py', '.txt')) }}|{{ 'xxhixx'.strip('x') }}", "Hello World|Hello World  |  Hello World|['Hello', 'World']|['a', 'b', '', 'c']|True|True|hi")]
    [InlineData("{{ s.upper() }}{{ s.lower() }}{{ 'hello wORLD'.title() }}{{ 'aaa'.replace('a', 'b', 2) }}{{ 'hello'.capitalize() }}{{ 'a b  c'.split(' ') }}{{ 'a b c'.split(none, 1) }}", "  HELLO WORLD    hello world  Hello WorldbbaHello['a', 'b', '', 'c']['a', 'b c']")]
    [InlineData("{{ s|trim }}|{{ items|length }}|{{ items|join(', ') }}|{{ items|first }}{{ items|last }}|{{ 'abc'|list }}|{{ 42|string ~ '!' }}|{{ '12'|int + 1 }}|{{ 'x'|int }}|{{ 'hello world'|capitalize }}|{{ 'a-b'|replace('-', '+') }}|{{ d|items|list }}|{{ 'hello wORLD'|title }}|{{ s|upper }}|{{ '3.7'|int }}|{{ 3.7|int }}", "Hello World|3|b, a, c|bc|['a', 'b', 'c']|42!|13|0|Hello world|a+b|[('k', 'v'), ('n', 1)]|Hello World|  HELLO WORLD  |3|3")]
    [InlineData("{{ missing|default('dflt') }}|{{ none|default('n') }}|{{ ''|default('e', true) }}|{{ missing|d('d') }}|{{ 0|default(5) }}", "dflt|None|e|d|0")]
    [InlineData("{{ d|tojson }}|{{ items|tojson(indent=2) }}|{{ '中\"\\n\\t'|tojson }}|{{ {'b': 1, 'a': [1.5, true, none]}|tojson(sort_keys=true) }}|{{ x|tojson }}|{{ d|tojson(separators=(',', ':')) }}|{{ empty|tojson(indent=4) }}|{{ {'e': {}}|tojson(indent=2) }}|{{ '中'|tojson(ensure_ascii=true) }}", "{\"k\": \"v\", \"n\": 1}|[\n  \"b\",\n  \"a\",\n  \"c\"\n]|\"中\\\"\\n\\t\"|{\"a\": [1.5, true, null], \"b\": 1}|2.5|{\"k\":\"v\",\"n\":1}|[]|{\n  \"e\": {}\n}|\"\\u4e2d\"")]
    [InlineData("[{{ missing }}]{{ missing|length }}{% for i in missing %}x{% endfor %}{{ missing is defined }}{{ d.nokey is defined }}{{ none.attr is defined }}{{ items[10] is defined }}{{ missing == missing }}{{ missing is none }}{{ missing|trim }}|{{ missing ~ 'x' }}", "[]0FalseFalseFalseFalseTrueFalse|x")]
    [InlineData("{{ s is string }}{{ d is mapping }}{{ items is iterable }}{{ 3 is odd }}{{ 4 is even }}{{ 9 is divisibleby 3 }}{{ n is number }}{{ x is float }}{{ flag is boolean }}{{ n is integer }}{{ flag is integer }}{{ s is iterable }}{{ missing is iterable }}{{ none is mapping }}{{ 'ab' is lower }}{{ flag is sameas true }}", "TrueTrueTrueTrueTrueTrueTrueTrueTrueTrueFalseTrueTrueFalseTrueTrue")]
    [InlineData("{{ none }} {{ flag }} {{ x }} {{ d }} {{ items }} {{ 1.0 }} {{ 1e20 }} {{ 0.0001 }} {{ 1/3 }} {{ 1e16 }} {{ 123456789012345.6 }} {{ 0.00001 }} {{ -0.5 }} {{ ('a', 1) }} {{ ('a',) }} {{ {'q': \"it's\"} }}", "None True 2.5 {'k': 'v', 'n': 1} ['b', 'a', 'c'] 1.0 1e+20 0.0001 0.3333333333333333 1e+16 123456789012345.6 1e-05 -0.5 ('a', 1) ('a',) {'q': \"it's\"}")]
    [InlineData("{{ d.get('k') }}{{ d.get('zz', 'fallback') }}{{ d.get('zz') }}{{ d.keys()|list }}{{ d.values()|list }}{{ d['n'] }}{{ d.k }}", "vfallbackNone['k', 'n']['v', 1]1v")]
    [InlineData("{{ items|reject('equalto', 'a')|join }}{{ items|select('ne', 'b')|list }}{{ messages|map(attribute='role')|join(',') }}{{ messages|selectattr('role', 'equalto', 'user')|list|length }}{{ ['A', 'B']|map('lower')|join }}{{ [0, 1, '', 'x']|select|list }}{{ messages|rejectattr('role', 'eq', 'user')|map(attribute='content')|first }}", "bc['a', 'c']system,user1ab[1, 'x'] Hi ")]
    [InlineData("{{ 'y' if flag else 'n' }}{{ 'y' if none }}|{{ 'a' if false else 'b' if true else 'c' }}", "y|b")]
    [InlineData("{{ 'a\\tb\\u4e2d\\x41' }}{{ \"q'\" }}{{ 'it\\'s' }}{{ 'a' 'b' }}", "a\tb中Aq'it'sab")]
    [InlineData("{% set block %}  X {{ n }}  {% endset %}[{{ block }}]", "[  X 3  ]")]
    [InlineData("{{ '[' + messages[0]['content'] | trim + ']' }}{{ messages|length + 1 }}{{ -n|abs }}", "[Hi]33")]
    [InlineData("{% for i in items %}{{ loop.cycle('o', 'e') }}{% if loop.previtem is defined %}{{ loop.previtem }}{% endif %}{% if loop.nextitem is defined %}{{ loop.nextitem }}{% endif %},{% endfor %}", "oa,ebc,oa,")]
    [InlineData("{% for a in [1,2] %}{% set outer = loop %}{% for b in [3,4] %}{{ outer.index }}{{ loop.index }}{{ loop.depth }} {% endfor %}{% endfor %}", "111 121 211 221 ")]
    [InlineData("{% filter upper %}abc{{ n }}{% endfilter %}", "ABC3")]
    [InlineData("a\n  {%- for i in items %}\n  {{ i }}\n  {%- endfor %}\n", "a  b  a  c")]
    [InlineData("{{ 'a\\nb\\n\\nc'|indent(2) }}|{{ 'a\\nb'|indent(2, true) }}", "a\n  b\n\n  c|  a\n  b")]
    [InlineData("{{ 2.5|round }} {{ 3.14159|round(2) }} {{ 7|round }} {{ 2.7|round(0, 'floor') }} {{ 3.5|round }}", "2.0 3.14 7 2.0 4.0")]
    [InlineData("{{ 'abc' * 2 }}{{ [1] + [2] }}{{ none or 'x' }}{{ 'a' and 'b' }}{{ 0 and 1 }}{{ [] or [1] }}", "abcabc[1, 2]xb0[1]")]
    [InlineData("{{ messages[-1].content }}{{ messages[0].role|upper }}{{ messages|last|tojson }}", "你好SYSTEM{\"role\": \"user\", \"content\": \"你好\"}")]
    [InlineData("{%- set x = 'a' -%}\n\n   {{- x -}}   \n\n{%- if x %}  yes  {% endif -%}   \nz", "a  yes  z")]
    [InlineData("{% for m in messages %}\n  {% if m.role == 'user' %}\n    U:{{ m.content }}\n  {% else %}\n    S:{{ m.content }}\n  {% endif %}\n{% endfor %}\n", "    S: Hi \n    U:你好\n")]
    [InlineData("{{ strftime_now is defined }}{{ raise_exception is defined }}{{ range(3)|list }}{{ range(1, 7, 2)|list }}{{ dict(a=1) }}", "TrueTrue[0, 1, 2][1, 3, 5]{'a': 1}")]
    [InlineData("{{ items|sort if false else 'nosort' }}{{ items|sort|join }}{{ ['b', 'A', 'c']|sort|join }}{{ ['b', 'A', 'c']|sort(case_sensitive=true)|join }}{{ [3, 1, 2]|sort(reverse=true)|join }}{{ messages|sort(attribute='role')|map(attribute='role')|join }}", "nosortabcAbcAbc321systemuser")]
    [InlineData("{{ '  x  '.strip() == 'x' }}{{ 1 == 1.0 }}{{ 'a' != 'b' }}{{ [1, 2] == [1, 2] }}{{ none == none }}{{ 'b' > 'a' }}{{ true == 1 }}", "TrueTrueTrueTrueTrueTrueTrue")]
    [InlineData("{{ 'Hello'.find('l') }}{{ 'hello'.count('l') }}{{ '-'.join(items) }}{{ 'a\\nb\\n'.splitlines() }}{{ 'MiXeD'.lower() }}", "22b-a-c['a', 'b']mixed")]
    [InlineData("{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set t = (1, 'x') %}{{ t[1] }}{{ t|length }}", "12x2")]
    public void Renders_exactly_as_jinja(string source, string expected)
    {
        Assert.Equal(expected, ChatTemplate.Parse(source).Render(Variables()));
    }

    [Theory]
    [InlineData("{{ missing.attr }}")]
    [InlineData("{{ missing + 1 }}")]
    [InlineData("{{ 'a' + 1 }}")]
    [InlineData("{{ none.attr.more }}")]
    [InlineData("{{ missing['k'] }}")]
    [InlineData("{{ missing() }}")]
    [InlineData("{% set ns = 1 %}{% set ns.a = 2 %}")]
    [InlineData("{{ items|tojson if false else missing|tojson }}")]
    [InlineData("{{ 1 / 0 }}")]
    [InlineData("{{ none|length }}")]
    [InlineData("{% for i in none %}{% endfor %}")]
    [InlineData("{{ 1 < 'a' }}")]
    public void Evaluation_errors_surface_as_chat_template_failed(string source)
    {
        var template = ChatTemplate.Parse(source);
        var exception = Assert.Throws<HanlinException>(() => template.Render(Variables()));
        Assert.Equal(ErrorCodes.ChatTemplateFailed, exception.Code);
    }

    [Theory]
    [InlineData("{% for %}")]
    [InlineData("{% if true %}")]
    [InlineData("{{ x | nofilter }}")]
    [InlineData("{{ x is notatest }}")]
    [InlineData("{% endif %}")]
    [InlineData("{{ 'unclosed }}")]
    [InlineData("{% unknown %}")]
    [InlineData("{{ (1 }}")]
    [InlineData("{# open comment")]
    [InlineData("{{ 1 + }}")]
    [InlineData("{% for i in items %}{% endif %}")]
    public void Syntax_errors_are_reported_when_parsing(string source)
    {
        var exception = Assert.Throws<HanlinException>(() => ChatTemplate.Parse(source));
        Assert.Equal(ErrorCodes.ChatTemplateInvalid, exception.Code);
        Assert.Contains("line 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Raise_exception_rejects_the_conversation_with_the_templates_message()
    {
        var template = ChatTemplate.Parse("{{ raise_exception('boom: ' ~ n) }}");
        var exception = Assert.Throws<HanlinException>(() => template.Render(Variables()));
        Assert.Equal(ErrorCodes.ChatTemplateRejected, exception.Code);
        Assert.EndsWith("boom: 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attribute_of_an_undefined_value_names_the_missing_variable()
    {
        var exception = Assert.Throws<HanlinException>(() => ChatTemplate.Parse("{{ missing.attr }}").Render(Variables()));
        Assert.Contains("'missing' is undefined", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strftime_now_formats_the_injected_clock_in_the_c_locale()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 7, 14, 5, 9, TimeSpan.Zero));
        var template = ChatTemplate.Parse("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%A %B %-d %H:%M:%S %j %y %%') }}", clock);
        Assert.Equal("07 Mar 2026|Saturday March 7 14:05:09 066 26 %", template.Render(new Dictionary<string, object?>()));
    }

    [Fact]
    public void Generation_blocks_render_their_body_unchanged()
    {
        var template = ChatTemplate.Parse("{% for m in messages %}{% generation %}{{ m.content }}{% endgeneration %}{% endfor %}");
        Assert.Equal(" Hi 你好", template.Render(Variables()));
    }

    [Fact]
    public void Typed_messages_expose_tool_calls_only_when_present()
    {
        var template = ChatTemplate.Parse(
            "{% for m in messages %}{{ m.role }}:{{ 'tool_calls' in m }}:{{ m.content is defined }}"
            + "{% for c in m.tool_calls %}={{ c.function.name }}{{ c.function.arguments|tojson }}{% endfor %};{% endfor %}"
            + "{{ add_generation_prompt }}{{ tools is none }}{{ documents is none }}{{ bos_token }}");
        var messages = new List<ChatTemplateMessage>
        {
            new("user", "北京天气？"),
            new("assistant", null) { ToolCalls = [new ChatTemplateToolCall("weather", new Dictionary<string, object?> { ["city"] = "北京", ["days"] = 2 })] },
        };
        var rendered = template.Render(messages, addGenerationPrompt: true, new Dictionary<string, object?> { ["bos_token"] = "<s>" });
        Assert.Equal("user:False:True;assistant:True:False=weather{\"city\": \"北京\", \"days\": 2};TrueTrueTrue<s>", rendered);
    }

    [Fact]
    public void A_template_is_reusable_and_renders_are_independent()
    {
        var template = ChatTemplate.Parse("{% set ns = namespace(count=0) %}{% for m in messages %}{% set ns.count = ns.count + 1 %}{% endfor %}{{ ns.count }}");
        Assert.Equal("2", template.Render(Variables()));
        Assert.Equal("2", template.Render(Variables()));
    }

    [Fact]
    public void Unsupported_variable_types_are_rejected_clearly()
    {
        var exception = Assert.Throws<HanlinException>(() =>
            ChatTemplate.Parse("{{ x }}").Render(new Dictionary<string, object?> { ["x"] = new Uri("http://example.com") }));
        Assert.Equal(ErrorCodes.InvalidArgument, exception.Code);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
