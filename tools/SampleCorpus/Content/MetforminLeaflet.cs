using SampleCorpus.Writers;

namespace SampleCorpus.Content;

/// <summary>A patient leaflet for a fictional metformin product, written for this project.</summary>
internal static class MetforminLeaflet
{
    public const string Title = "Package leaflet: Glucoryn 500 mg film-coated tablets (metformin hydrochloride)";

    public static IReadOnlyList<DocxBlock> Blocks { get; } =
    [
        DocxBlock.Heading(1, "Package leaflet: information for the patient"),
        DocxBlock.Paragraph("Glucoryn 500 mg film-coated tablets. Active substance: metformin hydrochloride. Marketing authorisation holder: Lakeshore Generics Ltd. (a fictional company; this leaflet is demonstration material and is not medical advice)."),
        DocxBlock.Paragraph("Please read this leaflet before your first dose and keep it with your tablets. Your doctor or pharmacist can answer any question it leaves open."),

        DocxBlock.Heading(2, "1. What Glucoryn is and what it is used for"),
        DocxBlock.Paragraph("Glucoryn contains metformin, a medicine of the biguanide group used to treat type 2 diabetes mellitus when diet and exercise alone have not been enough to control blood glucose. Metformin lowers the amount of glucose made by the liver and helps the body use its own insulin better. It does not usually cause low blood sugar (hypoglycaemia) when it is used on its own."),
        DocxBlock.Paragraph("In adults, Glucoryn can be used alone or together with other diabetes medicines, including insulin. In children from 10 years of age and adolescents, it can be used alone or with insulin."),

        DocxBlock.Heading(2, "2. What you need to know before you take Glucoryn"),
        DocxBlock.Paragraph("Do not take Glucoryn:"),
        DocxBlock.Bullets(
            "if you are allergic to metformin or to any of the other ingredients of this medicine;",
            "if your kidney function is severely reduced (eGFR below 30 mL/min/1.73 m2);",
            "if you have diabetic ketoacidosis or have recently had a diabetic pre-coma;",
            "if you have a severe infection, are severely dehydrated, or are in shock;",
            "if you have liver problems or drink large amounts of alcohol regularly;",
            "if you are being treated for acute heart failure, have recently had a heart attack, or have severe problems with your circulation or breathing."),
        DocxBlock.Paragraph("Risk of lactic acidosis. Metformin can cause a very rare but serious complication called lactic acidosis, especially when the kidneys are not working properly. The risk rises with uncontrolled diabetes, long fasting, heavy drinking, dehydration, severe infection and liver problems. Stop taking Glucoryn and seek medical help at once if you have vomiting, stomach ache, muscle cramps, a general feeling of being unwell with severe tiredness, or fast, deep breathing."),
        DocxBlock.Paragraph("X-ray or scan with an iodinated contrast medium. Stop taking Glucoryn at the time of, or before, the examination. Restart it no earlier than 48 hours after the examination, and only when your doctor has checked that your kidneys are working properly."),
        DocxBlock.Paragraph("Surgery. Stop taking Glucoryn during and for a short time after a procedure under general, spinal or epidural anaesthesia. Your doctor will tell you when to restart."),

        DocxBlock.Heading(2, "3. How to take Glucoryn"),
        DocxBlock.Paragraph("Always take this medicine exactly as your doctor or pharmacist has told you. Swallow the tablets whole with a glass of water, during or after a meal, to reduce stomach upset."),
        DocxBlock.Numbered(
            "Adults: the usual starting dose is one 500 mg tablet two or three times a day.",
            "After 10 to 15 days your doctor may increase the dose gradually, depending on your blood glucose. A slow increase helps your stomach tolerate the medicine.",
            "The maximum dose for adults is 3000 mg a day, taken as three divided doses.",
            "Children from 10 years and adolescents: start with 500 mg once a day; the maximum dose is 2000 mg a day in two or three divided doses.",
            "If you forget a dose, take the next dose at the usual time. Do not take a double dose to make up for a forgotten tablet."),
        DocxBlock.Paragraph("If your kidney function is reduced, your doctor will check it at least every 3 to 6 months and may give you a lower dose, as shown in the table below."),
        DocxBlock.Table(
            ["eGFR (mL/min/1.73 m2)", "Maximum daily dose", "Notes"],
            ["60 or above", "3000 mg", "Check kidney function at least once a year."],
            ["45 to 59", "2000 mg", "Consider a lower starting dose; check every 3 to 6 months."],
            ["30 to 44", "1000 mg", "Do not start metformin in this range; continue at a reduced dose only."],
            ["below 30", "Do not use", "Metformin is contraindicated."]),

        DocxBlock.Heading(2, "4. Possible side effects"),
        DocxBlock.Paragraph("Like all medicines, Glucoryn can cause side effects, although not everybody gets them."),
        DocxBlock.Bullets(
            "Very common (more than 1 in 10 people): nausea, vomiting, diarrhoea, stomach ache and loss of appetite. These usually happen when treatment starts and go away after a few days.",
            "Common (up to 1 in 10 people): a metallic taste in the mouth; lowered vitamin B12 levels in the blood after long-term use.",
            "Very rare (up to 1 in 10,000 people): lactic acidosis; abnormal liver function tests or hepatitis; skin reactions such as redness, itching or hives."),

        DocxBlock.Heading(2, "5. How to store Glucoryn"),
        DocxBlock.Paragraph("Keep this medicine out of the sight and reach of children. Do not store above 30 \u00B0C. Store in the original package. Do not use this medicine after the expiry date stated on the carton after EXP. Shelf life: 3 years."),

        DocxBlock.Heading(2, "6. Contents of the pack"),
        DocxBlock.Paragraph("Each film-coated tablet contains 500 mg metformin hydrochloride, equivalent to 390 mg metformin. Other ingredients: povidone, magnesium stearate, hypromellose and macrogol. The tablets are white, round and marked \"G500\" on one side. Packs of 30, 60 and 100 tablets."),
    ];
}
