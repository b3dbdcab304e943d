using SampleCorpus.Writers;

namespace SampleCorpus.Content;

/// <summary>A fictional hospital pharmacy's oral anticoagulant quick guide, written for this project (English: standard PDF fonts).</summary>
internal static class AnticoagulantGuide
{
    public const string Title = "Oral Anticoagulant Quick Guide";

    public const string RunningHeader = "Riverside General Hospital - Department of Pharmacy | Oral Anticoagulant Quick Guide | Version 2.1, June 2025";

    public static IReadOnlyList<PdfBlock> Blocks { get; } =
    [
        PdfBlock.Title("Oral Anticoagulant Quick Guide for Ward Pharmacists"),
        PdfBlock.Paragraph("Riverside General Hospital is a fictional hospital and this guide is demonstration material written for the Hanlin project. It summarises common practice for adult inpatients; it does not replace the product information or the clinical judgement of the treating team."),

        PdfBlock.Heading("1. Scope"),
        PdfBlock.Paragraph("This guide covers warfarin and the four direct oral anticoagulants (DOACs) on the hospital formulary: apixaban, rivaroxaban, dabigatran and edoxaban. It applies to adults treated for non-valvular atrial fibrillation (AF) or venous thromboembolism (VTE). Heparins and parenteral anticoagulants are covered by a separate guide."),

        PdfBlock.Heading("2. Choosing an agent"),
        PdfBlock.Bullet("Warfarin remains the agent of choice for patients with a mechanical heart valve and for moderate to severe mitral stenosis. DOACs must not be used in these patients."),
        PdfBlock.Bullet("For non-valvular AF and for VTE, a DOAC is preferred over warfarin unless the patient has severe renal impairment, a relevant drug interaction, or a stable INR on warfarin and wishes to continue."),
        PdfBlock.Bullet("Calculate creatinine clearance (CrCl) with the Cockcroft-Gault equation using actual body weight before choosing a DOAC and its dose. Do not use eGFR for DOAC dosing."),
        PdfBlock.Bullet("Check for interacting medicines on the pharmacy drug-interaction table, in particular antiplatelets, NSAIDs, strong CYP3A4 inhibitors or inducers and P-glycoprotein inhibitors."),

        PdfBlock.Heading("3. Warfarin: starting and monitoring"),
        PdfBlock.Paragraph("Start most adults on 5 mg once daily. Start at 2 to 3 mg daily in patients over 75 years, in patients with liver disease, heart failure, low body weight or poor nutrition, and in those taking interacting medicines. Give the dose at the same time each day, usually at 6 pm, so that the morning INR can guide the evening dose."),
        PdfBlock.Paragraph("The target INR is 2.5 (range 2.0 to 3.0) for AF and VTE, and 3.0 (range 2.5 to 3.5) for a mechanical mitral valve. Check the INR daily or on alternate days until two consecutive results are in range, then twice weekly for two weeks, then at longer intervals. Once the dose is stable the interval may be extended up to 12 weeks for patients in the anticoagulation clinic."),
        PdfBlock.Paragraph("Warfarin takes 5 to 7 days to reach full effect. In acute VTE, continue a parenteral anticoagulant for at least 5 days and until the INR has been 2.0 or above for 24 hours."),

        PdfBlock.Heading("4. DOAC doses in atrial fibrillation"),
        PdfBlock.Bullet("Apixaban: 5 mg twice daily. Reduce to 2.5 mg twice daily if the patient has at least two of: age 80 years or over, body weight 60 kg or less, serum creatinine 1.5 mg/dL (133 micromol/L) or more."),
        PdfBlock.Bullet("Rivaroxaban: 20 mg once daily with the evening meal. Reduce to 15 mg once daily if CrCl is 15 to 49 mL/min. Not recommended if CrCl is below 15 mL/min."),
        PdfBlock.Bullet("Dabigatran: 150 mg twice daily. Use 110 mg twice daily from age 80 years and consider it for patients at high bleeding risk. Contraindicated if CrCl is below 30 mL/min. Capsules must be swallowed whole and not opened."),
        PdfBlock.Bullet("Edoxaban: 60 mg once daily. Reduce to 30 mg once daily if CrCl is 15 to 50 mL/min, body weight is 60 kg or less, or with ciclosporin, dronedarone, erythromycin or ketoconazole."),
        PdfBlock.Paragraph("Under-dosing is as common as over-dosing. Pharmacists should confirm at every review that the dose matches the reduction criteria above and recheck CrCl at least once a year, or every 3 to 6 months if CrCl is below 60 mL/min or the patient is over 75."),

        PdfBlock.Heading("5. Switching between anticoagulants"),
        PdfBlock.Bullet("Warfarin to apixaban or dabigatran: stop warfarin and start the DOAC when the INR is below 2.0."),
        PdfBlock.Bullet("Warfarin to rivaroxaban: start rivaroxaban when the INR is 3.0 or below for AF (2.5 or below for VTE)."),
        PdfBlock.Bullet("Warfarin to edoxaban: start edoxaban when the INR is 2.5 or below."),
        PdfBlock.Bullet("DOAC to warfarin: overlap the two agents until the INR is 2.0 or above, measuring the INR just before the next DOAC dose."),

        PdfBlock.Heading("6. Surgery and invasive procedures"),
        PdfBlock.Paragraph("For elective surgery, stop warfarin 5 days before the procedure and check the INR the day before; proceed if the INR is 1.5 or below. Bridging with low molecular weight heparin is reserved for patients at very high thrombotic risk, such as a mechanical mitral valve or a stroke within the last 3 months."),
        PdfBlock.Paragraph("For DOACs, bridging is not needed. With normal renal function, omit the DOAC for 24 hours before a low bleeding risk procedure and 48 hours before a high bleeding risk procedure. Dabigatran needs longer when CrCl is below 50 mL/min: 48 hours for low risk and 96 hours for high risk procedures. Restart 24 hours after low risk and 48 to 72 hours after high risk procedures once haemostasis is secure."),

        PdfBlock.Heading("7. Bleeding and reversal"),
        PdfBlock.Bullet("INR above 3.0 and up to 5.0, no bleeding: reduce or omit one dose and find the cause."),
        PdfBlock.Bullet("INR 5.0 to 8.0, no bleeding: withhold warfarin for 1 to 2 doses and recheck the INR the next day."),
        PdfBlock.Bullet("INR above 8.0, no bleeding: withhold warfarin and give vitamin K (phytomenadione) 1 to 5 mg orally."),
        PdfBlock.Bullet("Major bleeding on warfarin: stop warfarin, give vitamin K 5 to 10 mg by slow intravenous injection and four-factor prothrombin complex concentrate (PCC) 25 to 50 units/kg according to the INR."),
        PdfBlock.Bullet("Major bleeding on dabigatran: idarucizumab 5 g intravenously. On apixaban or rivaroxaban: andexanet alfa where available, otherwise four-factor PCC 50 units/kg."),
        PdfBlock.Paragraph("Report every major bleed and every INR above 8.0 to the pharmacy anticoagulation team on extension 4417 within 24 hours."),

        PdfBlock.Heading("8. Counselling points"),
        PdfBlock.Bullet("Explain the reason for treatment, the expected duration and the dose, and give the patient an anticoagulant alert card."),
        PdfBlock.Bullet("Avoid over-the-counter aspirin and NSAIDs such as ibuprofen; paracetamol is the preferred analgesic."),
        PdfBlock.Bullet("Warfarin patients should keep their intake of vitamin K rich foods, such as green leafy vegetables, steady rather than avoid them, and limit alcohol."),
        PdfBlock.Bullet("A missed warfarin dose may be taken the same day; never take a double dose the next day. A missed twice-daily DOAC dose may be taken within 6 hours, a once-daily dose within 12 hours."),
        PdfBlock.Bullet("Seek urgent help for black stools, vomiting blood, blood in the urine, severe headache or any fall with a head injury."),
    ];
}
