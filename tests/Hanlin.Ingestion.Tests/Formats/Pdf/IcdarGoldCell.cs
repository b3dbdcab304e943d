namespace Hanlin.Ingestion.Tests.Formats.Pdf;

/// <summary>One gold cell of an ICDAR 2013 table: 1-based page, 0-based start row and column, normalised text.</summary>
internal sealed record IcdarGoldCell(int Page, int Row, int Column, string Text);
