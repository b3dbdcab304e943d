using SampleCorpus.Writers;

namespace SampleCorpus.Content;

/// <summary>A fictional broker's risk disclosure statement for its structured notes, written for this project (English: standard PDF fonts).</summary>
internal static class RiskDisclosureStatement
{
    public const string Title = "Risk Disclosure Statement - Structured Notes";

    public const string RunningHeader = "Beichen Securities Co., Ltd. | Risk Disclosure Statement - Structured Notes | Form RD-SN-03 (2025 edition)";

    public static IReadOnlyList<PdfBlock> Blocks { get; } =
    [
        PdfBlock.Title("Risk Disclosure Statement for Structured Notes"),
        PdfBlock.Paragraph("Beichen Securities Co., Ltd. (\"the Issuer\") is a fictional company and this statement is demonstration material written for the Hanlin project. It applies to every structured note issued by the Issuer, including the 24-Month Principal-Protected Shark Fin Note, Series BC-SN-2025-07. Read it together with the product rules of the note before you subscribe."),

        PdfBlock.Heading("1. Nature of the product"),
        PdfBlock.Paragraph("A structured note is an unsecured debt obligation of the Issuer whose return is linked to the performance of an underlying index. It is not a bank deposit, it is not covered by any deposit insurance or investor protection fund, and past performance of the underlying index says nothing about its future performance."),

        PdfBlock.Heading("2. Credit risk of the Issuer"),
        PdfBlock.Paragraph("All payments under the note, including the return of principal at maturity, depend on the Issuer's ability to pay. \"Principal protection\" means only that the Issuer promises to repay 100% of the principal at maturity; if the Issuer becomes insolvent or is subject to resolution, you may lose part or all of your principal and any return. The note ranks equally with the Issuer's other unsecured and unsubordinated debts."),

        PdfBlock.Heading("3. Market risk"),
        PdfBlock.Paragraph("The return depends on the level of the underlying index. If the index never rises above its initial level, you receive only the minimum coupon. If the index rises above the knock-out barrier on any observation day, the participation feature ends and you receive only the fixed rebate coupon, even if the index keeps rising afterwards. The maximum return is therefore capped."),

        PdfBlock.Heading("4. Liquidity risk"),
        PdfBlock.Paragraph("There is no exchange listing and no active secondary market. Early redemption is possible only on the monthly open days set out in the product rules, at a price quoted by the Issuer that reflects market conditions, the Issuer's funding cost and the early redemption fee. Principal protection does not apply to early redemption, and the amount you receive may be substantially less than the amount you invested."),

        PdfBlock.Heading("5. Early termination and adjustment"),
        PdfBlock.Paragraph("If the underlying index is discontinued, materially modified or cannot be calculated, or if a change in law makes it unlawful for the Issuer to continue, the Issuer may adjust the terms or redeem the note early at its fair market value as determined by the calculation agent. That value may be lower than your principal."),

        PdfBlock.Heading("6. Valuation and information risk"),
        PdfBlock.Paragraph("Indicative values published during the life of the note are calculated by the Issuer acting as calculation agent. They are estimates, not offers to buy, and may differ from valuations produced by other market participants."),

        PdfBlock.Heading("7. Conflicts of interest"),
        PdfBlock.Paragraph("The Issuer, its affiliates and its research department may trade in the securities that make up the underlying index, hedge their exposure under the note, or publish research about those securities. These activities may affect the level of the index and therefore the return on your note. Research analysts of the Issuer are subject to the quiet periods and information barriers set out in the Issuer's research publication rules."),

        PdfBlock.Heading("8. Suitability"),
        PdfBlock.Paragraph("The Issuer rates principal-protected structured notes as R3 (medium risk) and notes without principal protection as R5 (high risk). A retail investor may subscribe only if his or her risk tolerance assessment, valid for 24 months, is C3 or above for an R3 note, or C5 for an R5 note. Sales of R4 and R5 products to retail investors are recorded on audio and video."),

        PdfBlock.Heading("9. Cooling-off period"),
        PdfBlock.Paragraph("A retail investor may cancel a subscription without any fee within 24 hours after signing the subscription agreement, by notifying the branch in writing or through the mobile application. During the cooling-off period the Issuer will not treat the subscription as confirmed and will call you back to confirm that you understand the risks set out in this statement."),

        PdfBlock.Heading("10. Taxes and fees"),
        PdfBlock.Paragraph("Returns may be subject to taxes, which are your responsibility. The subscription fee, management fee, trustee fee and early redemption fee are set out in the fee table of the product rules and reduce your return."),

        PdfBlock.Heading("Investor acknowledgement"),
        PdfBlock.Paragraph("I confirm that I have read and understood this Risk Disclosure Statement, that I have been told the risk rating of the note and the result of my own risk tolerance assessment, that I understand that I may lose part or all of my principal if the Issuer defaults or if I redeem early, and that I am making this investment of my own free will."),
        PdfBlock.Paragraph("Investor signature: ______________________    Date: ____________    Account number: ________________"),
    ];
}
