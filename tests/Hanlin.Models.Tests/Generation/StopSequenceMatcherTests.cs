using Hanlin.Models.Generation;

namespace Hanlin.Models.Tests.Generation;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void A_stop_string_split_across_deltas_ends_the_text_before_it()
    {
        var matcher = new StopSequenceMatcher(["</answer>"]);
        var emitted = matcher.Append("The dose is 100 mg.<") + matcher.Append("/ans") + matcher.Append("wer> trailing");

        Assert.Equal("The dose is 100 mg.", emitted);
        Assert.True(matcher.Stopped);
        Assert.Equal(string.Empty, matcher.Append("more"));
    }

    [Fact]
    public void Held_back_text_that_turns_out_not_to_be_a_stop_string_is_released()
    {
        var matcher = new StopSequenceMatcher(["\n\nUser:"]);
        var first = matcher.Append("line\n");
        var second = matcher.Append("\nUse");
        var third = matcher.Append("d twice.");

        Assert.Equal("line", first);
        Assert.Equal(string.Empty, second);
        Assert.Equal("\n\nUsed twice.", third);
        Assert.Equal(string.Empty, matcher.Flush());
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void The_earliest_of_several_stop_strings_wins_and_chinese_text_is_handled()
    {
        var matcher = new StopSequenceMatcher(["。问", "答："]);
        Assert.Equal("每片含阿司匹林100 mg", matcher.Append("每片含阿司匹林100 mg答：。问"));
    }

    [Fact]
    public void Without_stop_strings_everything_passes_through()
    {
        var matcher = new StopSequenceMatcher([]);
        Assert.Equal("abc", matcher.Append("abc"));
        Assert.Equal(string.Empty, matcher.Flush());
    }
}
