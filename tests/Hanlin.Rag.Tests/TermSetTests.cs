using Hanlin.Rag.Text;

namespace Hanlin.Rag.Tests;

/// <summary>The compact term set answers every set question as a hash set of the same terms does.</summary>
public sealed class TermSetTests
{
    [Fact]
    public void A_term_set_answers_membership_and_set_relations_like_a_hash_set()
    {
        HashSet<string> terms = ["warfarin", "2.5", "剂量", "mg", "阿司"];
        var set = TermSet.From(terms);
        string[] other = ["mg", "warfarin", "mg"];
        string[] disjoint = ["aspirin"];

        Assert.Equal(5, set.Count);
        Assert.True(set.Contains("剂量"));
        Assert.False(set.Contains("剂"));
        Assert.Equal(terms.Order(StringComparer.Ordinal), set.Order(StringComparer.Ordinal));
        Assert.Equal(terms.IsSupersetOf(other), set.IsSupersetOf(other));
        Assert.Equal(terms.IsProperSupersetOf(other), set.IsProperSupersetOf(other));
        Assert.Equal(terms.IsSubsetOf(other), set.IsSubsetOf(other));
        Assert.True(set.IsSubsetOf([.. terms, "extra"]));
        Assert.True(set.IsProperSubsetOf([.. terms, "extra"]));
        Assert.False(set.IsProperSubsetOf(terms));
        Assert.True(set.SetEquals([.. terms, "mg"]));
        Assert.True(set.Overlaps(other));
        Assert.False(set.Overlaps(disjoint));
        Assert.True(TermSet.From([]).IsSubsetOf(disjoint));
    }

    [Fact]
    public void A_term_set_holds_exactly_its_terms_among_many_similar_ones()
    {
        var all = Enumerable.Range(0, 600)
            .Select(i => (i % 3) switch { 0 => $"term{i}", 1 => ((char)('\u4e00' + i)).ToString() + (char)('\u4e00' + (i * 7 % 600)), _ => (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var members = all.Where((_, i) => i % 2 == 0).ToHashSet(StringComparer.Ordinal);

        var set = TermSet.From(members);

        Assert.All(all, t => Assert.Equal(members.Contains(t), set.Contains(t)));
        Assert.All(all, t => Assert.Equal(members.Contains(t), set.Contains(new string(t.AsSpan()))));
    }
}
