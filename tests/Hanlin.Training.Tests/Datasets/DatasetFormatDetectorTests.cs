using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;

namespace Hanlin.Training.Tests.Datasets;

public sealed class DatasetFormatDetectorTests
{
    [Theory]
    [InlineData("""{"messages":[]}""", DatasetFormat.Chat)]
    [InlineData("""{"conversations":[]}""", DatasetFormat.ShareGpt)]
    [InlineData("""{"instruction":"a","output":"b"}""", DatasetFormat.Alpaca)]
    [InlineData("Just prose, not JSON.", DatasetFormat.Text)]
    public void The_keys_of_the_first_lines_decide_the_format(string line, DatasetFormat expected) =>
        Assert.Equal(expected, DatasetFormatDetector.Detect(["", line, line], "x"));

    [Fact]
    public void A_malformed_first_line_does_not_change_the_majority()
    {
        string[] lines = ["{broken", """{"conversations":[]}""", """{"conversations":[]}"""];
        Assert.Equal(DatasetFormat.ShareGpt, DatasetFormatDetector.Detect(lines, "x"));
    }

    [Fact]
    public void Json_lines_of_no_known_format_are_refused_with_a_hint()
    {
        var ex = Assert.Throws<HanlinException>(() => DatasetFormatDetector.Detect(["""{"question":"q","answer":"a"}"""], "data.jsonl"));
        Assert.Equal(ErrorCodes.DatasetInvalid, ex.Code);
        Assert.Contains("data.jsonl", ex.Message, StringComparison.Ordinal);
    }
}
