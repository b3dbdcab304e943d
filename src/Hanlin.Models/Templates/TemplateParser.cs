using System.Globalization;
using System.Text;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Templates;

/// <summary>
/// Recursive-descent parser for the Jinja2 subset chat templates use. It follows Jinja's grammar and operator
/// precedence (filters and tests bind tighter than arithmetic, <c>~</c> sits between <c>+</c> and <c>*</c>,
/// comparisons chain) and compiles each node straight into a closure over <see cref="TemplateFrame"/>, so no
/// separate syntax tree is kept.
/// </summary>
internal sealed class TemplateParser
{
    private static readonly Func<TemplateFrame, TemplateFlow> Nothing = _ => TemplateFlow.Normal;

    private readonly List<TemplateToken> _tokens;
    private int _position;

    private TemplateParser(List<TemplateToken> tokens) => _tokens = tokens;

    private TemplateToken Current => _tokens[_position];

    public static Func<TemplateFrame, TemplateFlow> Parse(string source)
    {
        var parser = new TemplateParser(TemplateLexer.Tokenize(source));
        var (body, _) = parser.ParseBody();
        return body;
    }

    private TemplateToken Peek(int offset) => _tokens[Math.Min(_position + offset, _tokens.Count - 1)];

    private TemplateToken Next()
    {
        var token = _tokens[_position];
        if (token.Kind != TemplateTokenKind.End)
        {
            _position++;
        }

        return token;
    }

    private bool IsOperator(string op) => Current.Kind == TemplateTokenKind.Operator && Current.Value == op;

    private bool IsName(string name) => Current.Kind == TemplateTokenKind.Name && Current.Value == name;

    private HanlinException Unexpected(string expected)
    {
        var found = Current.Kind switch
        {
            TemplateTokenKind.End => "the end of the template",
            TemplateTokenKind.BlockEnd => "'%}'",
            TemplateTokenKind.VariableEnd => "'}}'",
            TemplateTokenKind.Text => "text",
            _ => $"'{Current.Value}'",
        };
        return TemplateLexer.Invalid(Current.Line, $"expected {expected} but found {found}");
    }

    private void ExpectOperator(string op)
    {
        if (!IsOperator(op))
        {
            throw Unexpected($"'{op}'");
        }

        Next();
    }

    private string ExpectName()
    {
        if (Current.Kind != TemplateTokenKind.Name)
        {
            throw Unexpected("a name");
        }

        return Next().Value;
    }

    private void ExpectKind(TemplateTokenKind kind, string description)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected(description);
        }

        Next();
    }

    private void ExpectBlockEnd() => ExpectKind(TemplateTokenKind.BlockEnd, "'%}'");

    private (Func<TemplateFrame, TemplateFlow> Body, string? EndTag) ParseBody(params string[] endTags)
    {
        var statements = new List<Func<TemplateFrame, TemplateFlow>>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TemplateTokenKind.End:
                    if (endTags.Length > 0)
                    {
                        throw TemplateLexer.Invalid(token.Line, $"the template ended before '{{% {endTags[^1]} %}}'");
                    }

                    return (Sequence(statements), null);
                case TemplateTokenKind.Text:
                    Next();
                    var text = token.Value;
                    statements.Add(frame =>
                    {
                        frame.Output.Append(text);
                        return TemplateFlow.Normal;
                    });
                    break;
                case TemplateTokenKind.VariableBegin:
                    Next();
                    var expression = ParseTuple(withCondition: true);
                    ExpectKind(TemplateTokenKind.VariableEnd, "'}}'");
                    statements.Add(frame =>
                    {
                        frame.Output.Append(TemplateValues.ToStr(expression(frame)));
                        return TemplateFlow.Normal;
                    });
                    break;
                case TemplateTokenKind.BlockBegin:
                    var name = Peek(1);
                    if (name.Kind != TemplateTokenKind.Name)
                    {
                        Next();
                        throw Unexpected("a tag name");
                    }

                    Next();
                    Next();
                    if (endTags.Contains(name.Value))
                    {
                        return (Sequence(statements), name.Value);
                    }

                    statements.Add(ParseStatement(name));
                    break;
                default:
                    throw Unexpected("text or a tag");
            }
        }
    }

    private static Func<TemplateFrame, TemplateFlow> Sequence(List<Func<TemplateFrame, TemplateFlow>> statements)
    {
        var all = statements.ToArray();
        return all.Length switch
        {
            0 => Nothing,
            1 => all[0],
            _ => frame =>
            {
                foreach (var statement in all)
                {
                    var flow = statement(frame);
                    if (flow != TemplateFlow.Normal)
                    {
                        return flow;
                    }
                }

                return TemplateFlow.Normal;
            },
        };
    }

    private Func<TemplateFrame, TemplateFlow> ParseStatement(TemplateToken tag)
    {
        switch (tag.Value)
        {
            case "if":
                return ParseIf();
            case "for":
                return ParseFor();
            case "set":
                return ParseSet();
            case "macro":
                return ParseMacro();
            case "break" or "continue":
                ExpectBlockEnd();
                var flow = tag.Value == "break" ? TemplateFlow.Break : TemplateFlow.Continue;
                return _ => flow;
            case "generation":
                // transformers' {% generation %} marks assistant text for masks; it renders its body unchanged.
                ExpectBlockEnd();
                var (body, _) = ParseBody("endgeneration");
                ExpectBlockEnd();
                return body;
            case "filter":
                return ParseFilterBlock();
            default:
                throw TemplateLexer.Invalid(tag.Line, $"the tag '{tag.Value}' is not supported");
        }
    }

    private Func<TemplateFrame, TemplateFlow> ParseIf()
    {
        var branches = new List<(Func<TemplateFrame, object?> Condition, Func<TemplateFrame, TemplateFlow> Body)>();
        var condition = ParseTuple(withCondition: true);
        ExpectBlockEnd();
        Func<TemplateFrame, TemplateFlow> otherwise = Nothing;
        while (true)
        {
            var (body, end) = ParseBody("elif", "else", "endif");
            branches.Add((condition, body));
            if (end == "elif")
            {
                condition = ParseTuple(withCondition: true);
                ExpectBlockEnd();
                continue;
            }

            ExpectBlockEnd();
            if (end == "else")
            {
                (otherwise, _) = ParseBody("endif");
                ExpectBlockEnd();
            }

            break;
        }

        var all = branches.ToArray();
        return frame =>
        {
            foreach (var (test, body) in all)
            {
                if (TemplateValues.IsTruthy(test(frame)))
                {
                    return body(frame);
                }
            }

            return otherwise(frame);
        };
    }

    private Func<TemplateFrame, TemplateFlow> ParseFor()
    {
        var target = ParseAssignTarget(allowNamespace: false);
        if (!IsName("in"))
        {
            throw Unexpected("'in'");
        }

        Next();
        var iterable = ParseTuple(withCondition: false);
        Func<TemplateFrame, object?>? filter = null;
        if (IsName("if"))
        {
            Next();
            filter = ParseExpression();
        }

        if (IsName("recursive"))
        {
            throw TemplateLexer.Invalid(Current.Line, "recursive loops are not supported");
        }

        ExpectBlockEnd();
        var (body, end) = ParseBody("endfor", "else");
        ExpectBlockEnd();
        Func<TemplateFrame, TemplateFlow> otherwise = Nothing;
        if (end == "else")
        {
            (otherwise, _) = ParseBody("endfor");
            ExpectBlockEnd();
        }

        return frame =>
        {
            var outer = frame.Scope;
            var items = TemplateValues.Iterate(iterable(frame));
            try
            {
                if (filter is not null)
                {
                    items = items.Where(item =>
                    {
                        frame.Scope = new TemplateScope(outer);
                        target(frame, item);
                        return TemplateValues.IsTruthy(filter(frame));
                    }).ToList();
                    frame.Scope = outer;
                }

                if (items.Count == 0)
                {
                    return otherwise(frame);
                }

                // loop.depth counts recursive-loop levels only, so a plain nested loop is depth 1 too.
                var loop = new TemplateLoop(items, depth: 1);
                for (var i = 0; i < items.Count; i++)
                {
                    // Each iteration gets a fresh scope: a plain set inside a loop does not survive it (use namespace()).
                    frame.Scope = new TemplateScope(outer);
                    loop.Index0 = i;
                    frame.Scope.Set("loop", loop);
                    target(frame, items[i]);
                    if (body(frame) == TemplateFlow.Break)
                    {
                        break;
                    }
                }

                return TemplateFlow.Normal;
            }
            finally
            {
                frame.Scope = outer;
            }
        };
    }

    /// <summary>A <c>set</c>/<c>for</c> target: a name, a tuple of names, or (for set) <c>namespace.attribute</c>.</summary>
    private Action<TemplateFrame, object?> ParseAssignTarget(bool allowNamespace)
    {
        var names = new List<string> { ExpectName() };
        if (allowNamespace && IsOperator("."))
        {
            Next();
            var owner = names[0];
            var attribute = ExpectName();
            return (frame, value) =>
            {
                if (frame.Scope.Lookup(owner) is not TemplateNamespace ns)
                {
                    throw TemplateValues.Failure($"cannot assign attribute '{attribute}' on '{owner}', which is not a namespace()");
                }

                ns.Attributes[attribute] = value;
            };
        }

        var isTuple = false;
        while (IsOperator(","))
        {
            isTuple = true;
            Next();
            if (Current.Kind != TemplateTokenKind.Name || IsName("in"))
            {
                break;
            }

            names.Add(ExpectName());
        }

        if (!isTuple)
        {
            var name = names[0];
            return (frame, value) => frame.Scope.Set(name, value);
        }

        var all = names.ToArray();
        return (frame, value) =>
        {
            var parts = TemplateValues.Iterate(value);
            if (parts.Count != all.Length)
            {
                throw TemplateValues.Failure($"cannot unpack {parts.Count} values into {all.Length} names ({string.Join(", ", all)})");
            }

            for (var i = 0; i < all.Length; i++)
            {
                frame.Scope.Set(all[i], parts[i]);
            }
        };
    }

    private Func<TemplateFrame, TemplateFlow> ParseSet()
    {
        var target = ParseAssignTarget(allowNamespace: true);
        if (IsOperator("="))
        {
            Next();
            var value = ParseTuple(withCondition: true);
            ExpectBlockEnd();
            return frame =>
            {
                target(frame, value(frame));
                return TemplateFlow.Normal;
            };
        }

        var filters = ParseFilterChain();
        ExpectBlockEnd();
        var (body, _) = ParseBody("endset");
        ExpectBlockEnd();
        return frame =>
        {
            target(frame, filters(frame, Capture(frame, body)));
            return TemplateFlow.Normal;
        };
    }

    private Func<TemplateFrame, TemplateFlow> ParseFilterBlock()
    {
        var filters = ParseFilterChain(requireFirst: true);
        ExpectBlockEnd();
        var (body, _) = ParseBody("endfilter");
        ExpectBlockEnd();
        return frame =>
        {
            frame.Output.Append(TemplateValues.ToStr(filters(frame, Capture(frame, body))));
            return TemplateFlow.Normal;
        };
    }

    private static string Capture(TemplateFrame frame, Func<TemplateFrame, TemplateFlow> body)
    {
        var saved = frame.Output;
        frame.Output = new StringBuilder();
        try
        {
            body(frame);
            return frame.Output.ToString();
        }
        finally
        {
            frame.Output = saved;
        }
    }

    private Func<TemplateFrame, object?, object?> ParseFilterChain(bool requireFirst = false)
    {
        var chain = new List<(string Name, Func<TemplateFrame, TemplateArguments> Arguments)>();
        var first = requireFirst;
        while (first || IsOperator("|"))
        {
            if (!first)
            {
                Next();
            }

            first = false;
            chain.Add(ParseFilterCall());
        }

        var all = chain.ToArray();
        return (frame, value) =>
        {
            foreach (var (name, arguments) in all)
            {
                value = TemplateFilters.Apply(name, value, arguments(frame));
            }

            return value;
        };
    }

    private (string Name, Func<TemplateFrame, TemplateArguments> Arguments) ParseFilterCall()
    {
        var line = Current.Line;
        var name = ExpectName();
        if (!TemplateFilters.Exists(name))
        {
            throw TemplateLexer.Invalid(line, $"no filter named '{name}'");
        }

        Func<TemplateFrame, TemplateArguments> arguments = _ => new TemplateArguments();
        if (IsOperator("("))
        {
            Next();
            arguments = ParseCallArguments();
        }

        return (name, arguments);
    }

    private Func<TemplateFrame, TemplateFlow> ParseMacro()
    {
        var name = ExpectName();
        ExpectOperator("(");
        var parameters = new List<(string Name, Func<TemplateFrame, object?>? Default)>();
        while (!IsOperator(")"))
        {
            if (parameters.Count > 0)
            {
                ExpectOperator(",");
                if (IsOperator(")"))
                {
                    break;
                }
            }

            var parameter = ExpectName();
            Func<TemplateFrame, object?>? fallback = null;
            if (IsOperator("="))
            {
                Next();
                fallback = ParseExpression();
            }

            parameters.Add((parameter, fallback));
        }

        Next();
        ExpectBlockEnd();
        var (body, _) = ParseBody("endmacro");
        ExpectBlockEnd();
        var all = parameters.ToArray();
        return frame =>
        {
            var definitionScope = frame.Scope;
            frame.Scope.Set(name, new TemplateFunction(name, arguments =>
            {
                var call = new TemplateFrame(new TemplateScope(definitionScope), new StringBuilder());
                for (var i = 0; i < all.Length; i++)
                {
                    var (parameter, fallback) = all[i];
                    var value = arguments.Has(i, parameter)
                        ? arguments.Get(i, parameter)
                        : fallback is null ? JinjaUndefined.Variable(parameter) : fallback(call);
                    call.Scope.Set(parameter, value);
                }

                body(call);
                return call.Output.ToString();
            }));
            return TemplateFlow.Normal;
        };
    }

    /// <summary>Jinja's parse_tuple: one expression, or a tuple when commas follow.</summary>
    private Func<TemplateFrame, object?> ParseTuple(bool withCondition)
    {
        var first = withCondition ? ParseExpression() : ParseOr();
        if (!IsOperator(","))
        {
            return first;
        }

        var items = new List<Func<TemplateFrame, object?>> { first };
        while (IsOperator(","))
        {
            Next();
            if (Current.Kind is TemplateTokenKind.BlockEnd or TemplateTokenKind.VariableEnd || IsOperator(")"))
            {
                break;
            }

            items.Add(withCondition ? ParseExpression() : ParseOr());
        }

        var all = items.ToArray();
        return frame => all.Select(item => item(frame)).ToArray();
    }

    private Func<TemplateFrame, object?> ParseExpression()
    {
        var expression = ParseOr();
        while (IsName("if"))
        {
            Next();
            var condition = ParseOr();
            Func<TemplateFrame, object?>? otherwise = null;
            if (IsName("else"))
            {
                Next();
                otherwise = ParseExpression();
            }

            var then = expression;
            expression = frame => TemplateValues.IsTruthy(condition(frame))
                ? then(frame)
                : otherwise is null ? new JinjaUndefined("the inline if-expression evaluated to false and no else section was defined") : otherwise(frame);
        }

        return expression;
    }

    private Func<TemplateFrame, object?> ParseOr()
    {
        var left = ParseAnd();
        while (IsName("or"))
        {
            Next();
            var right = ParseAnd();
            var l = left;
            left = frame => l(frame) is var value && TemplateValues.IsTruthy(value) ? value : right(frame);
        }

        return left;
    }

    private Func<TemplateFrame, object?> ParseAnd()
    {
        var left = ParseNot();
        while (IsName("and"))
        {
            Next();
            var right = ParseNot();
            var l = left;
            left = frame => l(frame) is var value && !TemplateValues.IsTruthy(value) ? value : right(frame);
        }

        return left;
    }

    private Func<TemplateFrame, object?> ParseNot()
    {
        if (IsName("not"))
        {
            Next();
            var inner = ParseNot();
            return frame => !TemplateValues.IsTruthy(inner(frame));
        }

        return ParseCompare();
    }

    private Func<TemplateFrame, object?> ParseCompare()
    {
        var first = ParseMath1();
        var operations = new List<(string Op, Func<TemplateFrame, object?> Right)>();
        while (true)
        {
            if (Current.Kind == TemplateTokenKind.Operator && Current.Value is "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                var op = Next().Value;
                operations.Add((op, ParseMath1()));
            }
            else if (IsName("in"))
            {
                Next();
                operations.Add(("in", ParseMath1()));
            }
            else if (IsName("not") && Peek(1) is { Kind: TemplateTokenKind.Name, Value: "in" })
            {
                Next();
                Next();
                operations.Add(("not in", ParseMath1()));
            }
            else
            {
                break;
            }
        }

        if (operations.Count == 0)
        {
            return first;
        }

        var all = operations.ToArray();
        return frame =>
        {
            var left = first(frame);
            foreach (var (op, rightExpression) in all)
            {
                var right = rightExpression(frame);
                var holds = op switch
                {
                    "==" => TemplateValues.Equals(left, right),
                    "!=" => !TemplateValues.Equals(left, right),
                    "<" => TemplateValues.Compare(left, right, op) < 0,
                    "<=" => TemplateValues.Compare(left, right, op) <= 0,
                    ">" => TemplateValues.Compare(left, right, op) > 0,
                    ">=" => TemplateValues.Compare(left, right, op) >= 0,
                    "in" => TemplateValues.Contains(right, left),
                    _ => !TemplateValues.Contains(right, left),
                };
                if (!holds)
                {
                    return false;
                }

                left = right;
            }

            return true;
        };
    }

    private Func<TemplateFrame, object?> ParseBinaryLevel(Func<Func<TemplateFrame, object?>> operand, params string[] operators)
    {
        var left = operand();
        while (Current.Kind == TemplateTokenKind.Operator && operators.Contains(Current.Value))
        {
            var op = Next().Value;
            var right = operand();
            var l = left;
            left = frame => TemplateValues.Binary(op, l(frame), right(frame));
        }

        return left;
    }

    private Func<TemplateFrame, object?> ParseMath1() => ParseBinaryLevel(ParseConcat, "+", "-");

    private Func<TemplateFrame, object?> ParseConcat() => ParseBinaryLevel(ParseMath2, "~");

    private Func<TemplateFrame, object?> ParseMath2() => ParseBinaryLevel(ParsePow, "*", "/", "//", "%");

    private Func<TemplateFrame, object?> ParsePow() => ParseBinaryLevel(() => ParseUnary(withFilter: true), "**");

    private Func<TemplateFrame, object?> ParseUnary(bool withFilter)
    {
        Func<TemplateFrame, object?> node;
        if (IsOperator("-"))
        {
            Next();
            var inner = ParseUnary(withFilter: false);
            node = frame => TemplateValues.Negate(inner(frame));
        }
        else if (IsOperator("+"))
        {
            Next();
            node = ParseUnary(withFilter: false);
        }
        else
        {
            node = ParsePostfix(ParsePrimary());
        }

        return withFilter ? ParseFilterExpression(node) : node;
    }

    private Func<TemplateFrame, object?> ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TemplateTokenKind.Name:
                switch (token.Value)
                {
                    case "true" or "True":
                        return _ => true;
                    case "false" or "False":
                        return _ => false;
                    case "none" or "None":
                        return _ => null;
                    default:
                        var name = token.Value;
                        return frame => frame.Scope.Lookup(name);
                }

            case TemplateTokenKind.String:
                var text = new StringBuilder(token.Value);
                while (Current.Kind == TemplateTokenKind.String)
                {
                    text.Append(Next().Value);
                }

                var literal = text.ToString();
                return _ => literal;
            case TemplateTokenKind.Integer:
                var integer = long.Parse(token.Value, CultureInfo.InvariantCulture);
                return _ => integer;
            case TemplateTokenKind.Float:
                var real = double.Parse(token.Value, CultureInfo.InvariantCulture);
                return _ => real;
            case TemplateTokenKind.Operator when token.Value == "(":
                if (IsOperator(")"))
                {
                    Next();
                    return _ => Array.Empty<object?>();
                }

                var inner = ParseTuple(withCondition: true);
                ExpectOperator(")");
                return inner;
            case TemplateTokenKind.Operator when token.Value == "[":
                var items = ParseSequence("]", ParseExpression);
                return frame => items.Select(item => item(frame)).ToList();
            case TemplateTokenKind.Operator when token.Value == "{":
                var pairs = ParseSequence("}", () =>
                {
                    var key = ParseExpression();
                    ExpectOperator(":");
                    var value = ParseExpression();
                    return (Func<TemplateFrame, object?>)(frame => new object?[] { key(frame), value(frame) });
                });
                return frame =>
                {
                    var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var pair in pairs)
                    {
                        var entry = (object?[])pair(frame)!;
                        dict[TemplateValues.ToStr(entry[0])] = entry[1];
                    }

                    return dict;
                };
            default:
                _position--;
                throw Unexpected("an expression");
        }
    }

    private List<Func<TemplateFrame, object?>> ParseSequence(string close, Func<Func<TemplateFrame, object?>> item)
    {
        var items = new List<Func<TemplateFrame, object?>>();
        while (!IsOperator(close))
        {
            if (items.Count > 0)
            {
                ExpectOperator(",");
                if (IsOperator(close))
                {
                    break;
                }
            }

            items.Add(item());
        }

        Next();
        return items;
    }

    private Func<TemplateFrame, object?> ParsePostfix(Func<TemplateFrame, object?> node)
    {
        while (true)
        {
            if (IsOperator("."))
            {
                Next();
                var token = Next();
                var owner = node;
                if (token.Kind == TemplateTokenKind.Name)
                {
                    var name = token.Value;
                    node = frame => TemplateValues.GetAttribute(owner(frame), name);
                }
                else if (token.Kind == TemplateTokenKind.Integer)
                {
                    var index = long.Parse(token.Value, CultureInfo.InvariantCulture);
                    node = frame => TemplateValues.GetItem(owner(frame), index);
                }
                else
                {
                    _position--;
                    throw Unexpected("an attribute name");
                }
            }
            else if (IsOperator("["))
            {
                Next();
                node = ParseSubscript(node);
            }
            else if (IsOperator("("))
            {
                node = ParseCall(node);
            }
            else
            {
                return node;
            }
        }
    }

    private Func<TemplateFrame, object?> ParseSubscript(Func<TemplateFrame, object?> owner)
    {
        Func<TemplateFrame, object?>? start = null;
        if (!IsOperator(":"))
        {
            start = ParseExpression();
            if (!IsOperator(":"))
            {
                ExpectOperator("]");
                var key = start;
                return frame => TemplateValues.GetItem(owner(frame), key(frame));
            }
        }

        Next();
        Func<TemplateFrame, object?>? stop = IsOperator("]") || IsOperator(":") ? null : ParseExpression();
        Func<TemplateFrame, object?>? step = null;
        if (IsOperator(":"))
        {
            Next();
            step = IsOperator("]") ? null : ParseExpression();
        }

        ExpectOperator("]");
        return frame => TemplateValues.Slice(owner(frame), start?.Invoke(frame), stop?.Invoke(frame), step?.Invoke(frame));
    }

    private Func<TemplateFrame, object?> ParseCall(Func<TemplateFrame, object?> callee)
    {
        Next();
        var arguments = ParseCallArguments();
        return frame =>
        {
            var target = callee(frame);
            return target switch
            {
                TemplateFunction function => function.Invoke(arguments(frame)),
                JinjaUndefined undefined => throw TemplateValues.Failure(undefined.Hint),
                _ => throw TemplateValues.Failure($"'{TemplateValues.TypeName(target)}' object is not callable"),
            };
        };
    }

    /// <summary>Arguments after an opening parenthesis, through the closing one: positional, then <c>name=value</c>.</summary>
    private Func<TemplateFrame, TemplateArguments> ParseCallArguments()
    {
        var positional = new List<Func<TemplateFrame, object?>>();
        var named = new List<(string Name, Func<TemplateFrame, object?> Value)>();
        while (!IsOperator(")"))
        {
            if (positional.Count + named.Count > 0)
            {
                ExpectOperator(",");
                if (IsOperator(")"))
                {
                    break;
                }
            }

            if (Current.Kind == TemplateTokenKind.Name && Peek(1) is { Kind: TemplateTokenKind.Operator, Value: "=" })
            {
                var name = Next().Value;
                Next();
                named.Add((name, ParseExpression()));
            }
            else
            {
                if (named.Count > 0)
                {
                    throw TemplateLexer.Invalid(Current.Line, "a positional argument follows a keyword argument");
                }

                positional.Add(ParseExpression());
            }
        }

        Next();
        var positionalAll = positional.ToArray();
        var namedAll = named.ToArray();
        return frame => new TemplateArguments(
            positionalAll.Select(p => p(frame)).ToArray(),
            namedAll.ToDictionary(n => n.Name, n => n.Value(frame), StringComparer.Ordinal));
    }

    private Func<TemplateFrame, object?> ParseFilterExpression(Func<TemplateFrame, object?> node)
    {
        while (true)
        {
            if (IsOperator("|"))
            {
                Next();
                var (name, arguments) = ParseFilterCall();
                var input = node;
                node = frame => TemplateFilters.Apply(name, input(frame), arguments(frame));
            }
            else if (IsName("is"))
            {
                Next();
                var negate = false;
                if (IsName("not"))
                {
                    Next();
                    negate = true;
                }

                var line = Current.Line;
                var test = Current.Kind == TemplateTokenKind.Operator && Current.Value is "==" or "!=" or "<" or "<=" or ">" or ">="
                    ? Next().Value
                    : ExpectName();
                if (!TemplateTests.Exists(test))
                {
                    throw TemplateLexer.Invalid(line, $"no test named '{test}'");
                }

                Func<TemplateFrame, TemplateArguments> arguments = _ => new TemplateArguments();
                if (IsOperator("("))
                {
                    Next();
                    arguments = ParseCallArguments();
                }
                else if (StartsBareTestArgument())
                {
                    var argument = ParsePostfix(ParsePrimary());
                    arguments = frame => new TemplateArguments(argument(frame));
                }

                var subject = node;
                node = frame => TemplateTests.Apply(test, subject(frame), arguments(frame)) != negate;
            }
            else if (IsOperator("("))
            {
                node = ParseCall(node);
            }
            else
            {
                return node;
            }
        }
    }

    /// <summary>Jinja lets a test take one argument without parentheses (<c>x is divisibleby 3</c>, <c>x is sameas none</c>).</summary>
    private bool StartsBareTestArgument() => Current.Kind switch
    {
        TemplateTokenKind.Name => Current.Value is not ("else" or "or" or "and" or "if" or "in" or "not" or "is"),
        TemplateTokenKind.String or TemplateTokenKind.Integer or TemplateTokenKind.Float => true,
        TemplateTokenKind.Operator => Current.Value is "(" or "[" or "{",
        _ => false,
    };
}
