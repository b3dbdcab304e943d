using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Tests.Extraction;

public sealed class MarkdownTableRendererTests
{
    [Fact]
    public void Header_separator_and_rows_are_on_their_own_lines_with_pipes_escaped()
    {
        var rendered = MarkdownTableRenderer.Render(new TableBlock(["药品", "a|b"], [["阿司匹林", "line\nbreak"]]));
        Assert.Equal("| 药品 | a\\|b |\n| --- | --- |\n| 阿司匹林 | line break |", rendered);
    }
}
