using Hanlin.Core.Collections;
using Hanlin.Core.Errors;

namespace Hanlin.Core.Tests;

public sealed class CollectionNameTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("药品说明书")]
    [InlineData("finance-2024_q3.v2")]
    public void Valid_names_are_accepted(string name) => Assert.Equal(name, CollectionName.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("../etc")]
    [InlineData("-leading-dash")]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void Invalid_names_are_rejected_with_a_stable_code(string name)
    {
        var ex = Assert.Throws<HanlinException>(() => CollectionName.Validate(name));
        Assert.Equal(ErrorCodes.InvalidCollectionName, ex.Code);
    }

    [Fact]
    public void Ids_carry_their_prefix_and_are_unique()
    {
        var a = Identity.HanlinId.New(Identity.HanlinId.DocumentPrefix);
        var b = Identity.HanlinId.New(Identity.HanlinId.DocumentPrefix);
        Assert.StartsWith("doc_", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
    }
}
