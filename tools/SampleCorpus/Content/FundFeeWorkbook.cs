using SampleCorpus.Writers;

namespace SampleCorpus.Content;

/// <summary>A fictional fund manager's fee schedule by fund and share class, written for this project.</summary>
internal static class FundFeeWorkbook
{
    public const string Title = "瀚海基金费率表 / Hanhai Funds fee schedule (fictional)";

    private const string BondFund = "瀚海稳健增利债券型证券投资基金";
    private const string BondFundEnglish = "Hanhai Steady Income Bond Fund";
    private const string MixedFund = "瀚海均衡成长混合型证券投资基金";
    private const string MixedFundEnglish = "Hanhai Balanced Growth Hybrid Fund";
    private const string MoneyFund = "瀚海现金宝货币市场基金";
    private const string MoneyFundEnglish = "Hanhai Cash Plus Money Market Fund";

    public static IReadOnlyList<XlsxSheet> Sheets { get; } = [BuildFees(), BuildSubscriptionTiers(), BuildRedemptionFees()];

    private static XlsxSheet BuildFees()
    {
        List<IReadOnlyList<XlsxCell>> rows =
        [
            [
                XlsxCell.Header("基金名称 Fund"), XlsxCell.Header("Fund (English)"), XlsxCell.Header("份额类别 Share class"),
                XlsxCell.Header("基金代码 Code"), XlsxCell.Header("管理费 Management fee (p.a.)"), XlsxCell.Header("托管费 Custody fee (p.a.)"),
                XlsxCell.Header("销售服务费 Sales service fee (p.a.)"), XlsxCell.Header("最高申购费 Max subscription fee"),
                XlsxCell.Header("成立日期 Inception date"), XlsxCell.Header("费率生效日 Effective from"),
            ],
            Fee(BondFund, BondFundEnglish, "A", "HH1001", 0.0070, 0.0020, 0, 0.0080, (2021, 5, 18)),
            Fee(BondFund, BondFundEnglish, "C", "HH1002", 0.0070, 0.0020, 0.0040, 0, (2021, 5, 18)),
            Fee(MixedFund, MixedFundEnglish, "A", "HH2001", 0.0120, 0.0020, 0, 0.0150, (2019, 11, 6)),
            Fee(MixedFund, MixedFundEnglish, "C", "HH2002", 0.0120, 0.0020, 0.0060, 0, (2019, 11, 6)),
            Fee(MoneyFund, MoneyFundEnglish, "A", "HH3001", 0.0025, 0.0008, 0.0025, 0, (2018, 3, 26)),
            Fee(MoneyFund, MoneyFundEnglish, "B", "HH3002", 0.0025, 0.0008, 0.0001, 0, (2018, 3, 26)),
        ];

        return new XlsxSheet("Fees by share class", [34, 34, 10, 10, 14, 14, 14, 14, 14, 14], rows, []);
    }

    private static XlsxSheet BuildSubscriptionTiers()
    {
        List<IReadOnlyList<XlsxCell>> rows =
        [
            [XlsxCell.Header("基金名称 Fund"), XlsxCell.Header("份额类别 Share class"), XlsxCell.Header("申购金额 Amount (M, CNY)"), XlsxCell.Header("申购费率 Subscription fee")],
            [XlsxCell.Of(BondFund), XlsxCell.Of("A"), XlsxCell.Of("M < 1,000,000"), XlsxCell.Percent(0.0080)],
            [XlsxCell.Of(BondFund), XlsxCell.Of("A"), XlsxCell.Of("1,000,000 ≤ M < 5,000,000"), XlsxCell.Percent(0.0050)],
            [XlsxCell.Of(BondFund), XlsxCell.Of("A"), XlsxCell.Of("M ≥ 5,000,000"), XlsxCell.Of("1,000元/笔 CNY 1,000 per transaction")],
            [XlsxCell.Of(MixedFund), XlsxCell.Of("A"), XlsxCell.Of("M < 1,000,000"), XlsxCell.Percent(0.0150)],
            [XlsxCell.Of(MixedFund), XlsxCell.Of("A"), XlsxCell.Of("1,000,000 ≤ M < 5,000,000"), XlsxCell.Percent(0.0100)],
            [XlsxCell.Of(MixedFund), XlsxCell.Of("A"), XlsxCell.Of("M ≥ 5,000,000"), XlsxCell.Of("1,000元/笔 CNY 1,000 per transaction")],
        ];

        return new XlsxSheet("Subscription fees", [34, 12, 28, 30], rows, []);
    }

    private static XlsxSheet BuildRedemptionFees()
    {
        // Two-row header: "持有期限 Holding period" spans the from/to day columns.
        List<IReadOnlyList<XlsxCell>> rows =
        [
            [
                XlsxCell.Header("基金名称 Fund"), XlsxCell.Header("份额类别 Share class"), XlsxCell.Header("持有期限 Holding period (days)"),
                XlsxCell.MergedHeader, XlsxCell.Header("赎回费率 Redemption fee"), XlsxCell.Header("计入基金财产比例 Share credited to fund assets"),
            ],
            [
                XlsxCell.MergedHeader, XlsxCell.MergedHeader, XlsxCell.Header("从 From (≥)"), XlsxCell.Header("至 To (<)"),
                XlsxCell.MergedHeader, XlsxCell.MergedHeader,
            ],
            Redemption(BondFund, "A", 0, 7, 0.0150, 1.0),
            Redemption(BondFund, "A", 7, 365, 0.0010, 0.25),
            Redemption(BondFund, "A", 365, 730, 0.0005, 0.25),
            Redemption(BondFund, "A", 730, null, 0, 0),
            Redemption(BondFund, "C", 0, 7, 0.0150, 1.0),
            Redemption(BondFund, "C", 7, 30, 0.0050, 1.0),
            Redemption(BondFund, "C", 30, null, 0, 0),
            Redemption(MixedFund, "A", 0, 7, 0.0150, 1.0),
            Redemption(MixedFund, "A", 7, 365, 0.0050, 0.25),
            Redemption(MixedFund, "A", 365, 730, 0.0025, 0.25),
            Redemption(MixedFund, "A", 730, null, 0, 0),
            Redemption(MixedFund, "C", 0, 7, 0.0150, 1.0),
            Redemption(MixedFund, "C", 7, 30, 0.0050, 1.0),
            Redemption(MixedFund, "C", 30, null, 0, 0),
        ];

        return new XlsxSheet("Redemption fees", [34, 12, 12, 12, 16, 22], rows, ["A1:A2", "B1:B2", "C1:D1", "E1:E2", "F1:F2"]);
    }

    private static XlsxCell[] Fee(string fund, string english, string shareClass, string code, double management, double custody, double salesService, double subscription, (int Year, int Month, int Day) inception) =>
    [
        XlsxCell.Of(fund), XlsxCell.Of(english), XlsxCell.Of(shareClass), XlsxCell.Of(code),
        XlsxCell.Percent(management), XlsxCell.Percent(custody), XlsxCell.Percent(salesService), XlsxCell.Percent(subscription),
        XlsxCell.Date(inception.Year, inception.Month, inception.Day), XlsxCell.Date(2025, 1, 1),
    ];

    private static XlsxCell[] Redemption(string fund, string shareClass, int fromDays, int? toDays, double fee, double creditedToFund) =>
    [
        XlsxCell.Of(fund), XlsxCell.Of(shareClass), XlsxCell.Of(fromDays),
        toDays is { } to ? XlsxCell.Of(to) : XlsxCell.Of("—"),
        XlsxCell.Percent(fee), XlsxCell.Percent(creditedToFund),
    ];
}
