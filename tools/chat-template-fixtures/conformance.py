"""Writes randomised Jinja conformance cases for Hanlin's chat-template engine, rendered by Jinja2 configured
exactly as transformers configures it for chat templates (trim_blocks, lstrip_blocks, loopcontrols, immutable
sandbox, tojson as json.dumps). Seeds are fixed, so the output is reproducible for a given Jinja2 version.

    python3 tools/chat-template-fixtures/conformance.py [OUTPUT_FILE]

Three families: whitespace control around nested if/for/comments/output tags, random expressions over a fixed
set of variables (operators, filters, tests, methods, slicing; Jinja errors become expected errors), and random
statement programs (set scoping in loops and ifs, namespace, loop variables, break/continue, for-else).
Lazily evaluated generator reprs (<generator ...>, dict_keys(...)) and printf-style "%" formatting are left out:
chat templates do not print those, and Hanlin does not implement them.
"""

import json
import os
import random
import sys

import jinja2

try:
    from transformers.utils.chat_template_utils import _compile_jinja_template

    def compile_template(source):
        return _compile_jinja_template(source)

    RENDERER = "transformers"
except ImportError:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def _tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    _ENV = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    _ENV.filters["tojson"] = _tojson

    def compile_template(source):
        return _ENV.from_string(source)

    RENDERER = "jinja2 with transformers' settings"


def render(source, variables):
    return compile_template(source).render(**variables)


# Whitespace control.
WS = ["", " ", "  ", "\n", " \n", "\n  ", "\t", "\n\n", "  \n  ", "\r\n", "x", " y ", "\nz\n", "\u3000"]
def lm(): return random.choice(["", "", "-", "+"])
def rm(): return random.choice(["", "", "-", "+"])
def vm(): return random.choice(["", "", "-"])
def ws_text(): return "".join(random.choice(WS) for _ in range(random.randint(0, 3)))
def ws_node(depth):
    k = random.random()
    if depth > 2 or k < 0.35:
        return ws_text() + random.choice([
            "{{%s 'v' %s}}" % (vm(), vm()),
            "{#%s c %s#}" % (lm(), rm()),
            "{%% set q = 1 %s%%}" % rm().replace("+", ""),
            "{{%s loop.index if loop is defined else 0 %s}}" % (vm(), vm()),
        ]) + ws_text()
    if k < 0.7:
        return "{%%%s if %s %s%%}" % (lm(), random.choice(["true", "false"]), rm()) + ws_body(depth) + \
            ("{%%%s else %s%%}" % (lm(), rm()) + ws_body(depth) if random.random() < 0.4 else "") + "{%%%s endif %s%%}" % (lm(), rm())
    return "{%%%s for i in [1, 2] %s%%}" % (lm(), rm()) + ws_body(depth) + "{%%%s endfor %s%%}" % (lm(), rm())
def ws_body(depth): return "".join(ws_node(depth + 1) for _ in range(random.randint(0, 3))) + ws_text()


# Expressions.
V = {"s": " Hi there ", "n": 7, "f": 2.5, "l": ["b", "a", "c"], "d": {"k": "v", "m": [1, 2]}, "z": None, "t": True, "e": "", "u": "你好"}
ATOMS = ["s", "n", "f", "l", "d", "z", "t", "e", "u", "missing", "0", "1", "-3", "2.0", "0.1", "'a'", "'x y'", "[]", "[1, 'q']", "none", "true", "false", "{'a': 1}", "d.k", "d['m']", "l[0]", "l[-1]", "l[1:]", "s[::-1]", "d.m[1]", "d.nokey", "l[5]"]
BIN = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", ">=", "and", "or", "in", "not in"]
FIL = ["trim", "length", "upper", "lower", "first", "last", "list", "string", "int", "float", "capitalize", "title", "tojson", "default('D')", "join(',')", "replace('a', 'b')", "abs", "items", "sort", "unique", "round"]
TEST = ["defined", "undefined", "none", "string", "mapping", "iterable", "number", "integer", "float", "sequence", "boolean", "odd", "even"]
METH = [".strip()", ".upper()", ".split()", ".startswith('H')", ".endswith('e ')", ".lstrip()", ".replace('i', 'I')", ".title()", ".get('k')", ".items()", ".keys()", ".split(' ')", ".rstrip(' e')"]
def expr(d):
    r = random.random()
    if d > 2 or r < 0.3: return random.choice(ATOMS)
    if r < 0.55: return "(%s %s %s)" % (expr(d+1), random.choice(BIN), expr(d+1))
    if r < 0.7: return "%s|%s" % (random.choice(ATOMS), random.choice(FIL))
    if r < 0.8: return "(%s is %s%s)" % (expr(d+1), random.choice(["", "not "]), random.choice(TEST))
    if r < 0.9: return "%s%s" % (random.choice(["s", "u", "d", "e", "l[0]", "d.k"]), random.choice(METH))
    if r < 0.95: return "(not %s)" % expr(d+1)
    return "(%s if %s else %s)" % (expr(d+1), expr(d+1), expr(d+1))


# Statements.
SV = {"l": ["a", "b", "c"], "d": {"x": 1, "y": 2}, "n": 2}

def val():
    return random.choice(["1", "'s'", "a", "b", "n + 1", "loop.index if loop is defined else -1", "ns.c", "l|length", "a ~ b", "(a if a is defined else 0)"])
def st_stmt(depth):
    r = random.random()
    if depth > 2 or r < 0.3:
        return random.choice([
            "{%% set %s = %s %%}" % (random.choice(["a", "b"]), val()),
            "{%% set ns.c = %s %%}" % val(),
            "[{{ a if a is defined else 'u' }}{{ b if b is defined else 'u' }}{{ ns.c }}]",
            "{{ loop.index0 if loop is defined else '' }}{{ loop.last if loop is defined else '' }}",
            "{% if loop is defined and loop.index == 2 %}{% continue %}{% endif %}",
            "{% if loop is defined and loop.last %}{% break %}{% endif %}",
        ])
    if r < 0.55:
        return "{%% if %s %%}%s{%% elif %s %%}%s{%% else %%}%s{%% endif %%}" % (random.choice(["a is defined", "n > 1", "false", "ns.c == 1"]), st_body(depth), random.choice(["true", "b is defined"]), st_body(depth), st_body(depth))
    if r < 0.8:
        return "{%% for %s in %s %%}%s{%% else %%}E{%% endfor %%}" % (random.choice(["a", "b", "i"]), random.choice(["l", "[]", "range(n)", "l[::-1]", "d"]), st_body(depth))
    return "{%% for k, v in d.items() %%}{{ k }}{{ v }}%s{%% endfor %%}" % st_body(depth)
def st_body(depth): return "".join(st_stmt(depth + 1) for _ in range(random.randint(1, 3)))


SKIPPED_OUTPUT = ("<generator", "dict_keys(", "dict_items(", "dict_values(")


def whitespace_cases(count):
    random.seed(7)
    cases = []
    while len(cases) < count:
        source = ws_body(0) + random.choice(["", "\n", "\n\n", " \n"])
        try:
            cases.append({"template": source, "expected": render(source, {})})
        except jinja2.TemplateSyntaxError:
            pass
    return cases


def expression_cases(count):
    random.seed(11)
    cases = []
    while len(cases) < count:
        source = "{{ %s }}" % expr(0)
        if "|unique" in source or "|items" in source or " % " in source:
            continue
        try:
            output = render(source, V)
            if not any(marker in output for marker in SKIPPED_OUTPUT):
                cases.append({"template": source, "expected": output})
        except jinja2.TemplateSyntaxError:
            pass
        except Exception as error:
            cases.append({"template": source, "error": f"{type(error).__name__}: {error}"})
    return cases


def statement_cases(count):
    random.seed(5)
    cases = []
    while len(cases) < count:
        source = "{% set ns = namespace(c=0) %}" + st_body(0) + "|{{ a if a is defined else 'U' }}{{ b if b is defined else 'U' }}{{ ns.c }}"
        if len(source) > 1000:
            continue
        try:
            cases.append({"template": source, "expected": render(source, SV)})
        except jinja2.TemplateSyntaxError:
            pass
        except Exception as error:
            cases.append({"template": source, "error": f"{type(error).__name__}: {error}"})
    return cases


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "tests", "Hanlin.Models.Tests", "Fixtures", "jinja", "conformance.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    content = {
        "renderer": RENDERER,
        "jinja2_version": jinja2.__version__,
        "whitespace": {"variables": {}, "cases": whitespace_cases(300)},
        "expressions": {"variables": V, "cases": expression_cases(800)},
        "statements": {"variables": SV, "cases": statement_cases(150)},
    }
    # One case per line keeps the file small and its diffs readable.
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("{\n")
        handle.write(f' "renderer": {json.dumps(content["renderer"])},\n "jinja2_version": {json.dumps(content["jinja2_version"])},\n')
        families = ("whitespace", "expressions", "statements")
        for index, family in enumerate(families):
            variables = json.dumps(content[family]["variables"], ensure_ascii=False)
            handle.write(f' "{family}": {{\n  "variables": {variables},\n  "cases": [\n')
            lines = [json.dumps(case, ensure_ascii=False) for case in content[family]["cases"]]
            handle.write(",\n".join("   " + line for line in lines))
            handle.write("\n  ]\n }" + ("," if index < len(families) - 1 else "") + "\n")
        handle.write("}\n")
    for family in ("whitespace", "expressions", "statements"):
        cases = content[family]["cases"]
        print(f"{family}: {len(cases)} cases ({sum(1 for c in cases if 'error' in c)} expected errors)")


if __name__ == "__main__":
    main()
