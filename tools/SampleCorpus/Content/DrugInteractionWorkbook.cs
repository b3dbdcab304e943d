using SampleCorpus.Writers;

namespace SampleCorpus.Content;

/// <summary>A hospital pharmacy's bilingual drug-interaction and dosage-limit workbook, written for this project.</summary>
internal static class DrugInteractionWorkbook
{
    public const string Title = "Drug interaction table / 药物相互作用表 (Riverside General Hospital Pharmacy, demonstration data)";

    public static IReadOnlyList<XlsxSheet> Sheets { get; } = [BuildInteractions(), BuildDosageLimits()];

    private static XlsxSheet BuildInteractions()
    {
        List<IReadOnlyList<XlsxCell>> rows =
        [
            [
                XlsxCell.Header("No. 序号"), XlsxCell.Header("Drug A 药物A"), XlsxCell.MergedHeader,
                XlsxCell.Header("Drug B 药物B"), XlsxCell.MergedHeader, XlsxCell.Header("Severity 严重程度"),
                XlsxCell.Header("Mechanism 机制"), XlsxCell.Header("Management 处理建议"),
            ],
            [
                XlsxCell.MergedHeader, XlsxCell.Header("English"), XlsxCell.Header("中文"),
                XlsxCell.Header("English"), XlsxCell.Header("中文"), XlsxCell.MergedHeader,
                XlsxCell.MergedHeader, XlsxCell.MergedHeader,
            ],
        ];

        string[][] interactions =
        [
            ["Warfarin", "华法林", "Aspirin", "阿司匹林", "Major 严重", "Antiplatelet effect adds to anticoagulation; aspirin also injures the gastric mucosa. 抗血小板与抗凝作用叠加，并损伤胃黏膜。", "Avoid unless specifically indicated (e.g. mechanical heart valve). If combined, use aspirin 75-100 mg daily, add a proton pump inhibitor and monitor for bleeding. 非必要不合用；必须合用时阿司匹林每日75-100 mg并加用PPI。"],
            ["Warfarin", "华法林", "Ibuprofen", "布洛芬", "Major 严重", "NSAIDs inhibit platelet function and cause GI mucosal injury. 非甾体抗炎药抑制血小板并损伤胃肠黏膜。", "Avoid; prefer paracetamol up to 2 g daily. If unavoidable, shortest course with a PPI and an INR check within 1 week. 避免合用，镇痛首选对乙酰氨基酚。"],
            ["Warfarin", "华法林", "Amiodarone", "胺碘酮", "Major 严重", "Inhibits CYP2C9 and CYP3A4; INR rises over 1-3 weeks and the effect persists for months after stopping. 抑制CYP2C9/3A4，INR在1-3周内逐渐升高。", "Reduce the warfarin dose by 30-50% when amiodarone is started; check INR weekly for at least 6 weeks. 起始胺碘酮时华法林减量30%-50%，至少6周每周查INR。"],
            ["Warfarin", "华法林", "Fluconazole", "氟康唑", "Major 严重", "Strong inhibition of CYP2C9, the main pathway of S-warfarin. 强效抑制CYP2C9。", "Consider a topical or alternative antifungal; otherwise reduce the warfarin dose and check INR within 3-5 days. 合用时3-5天内复查INR。"],
            ["Warfarin", "华法林", "Metronidazole", "甲硝唑", "Major 严重", "Inhibits metabolism of S-warfarin. 抑制S-华法林代谢。", "Choose another antibiotic where possible; otherwise check INR within 3-5 days and adjust. 尽量换用其他抗菌药。"],
            ["Warfarin", "华法林", "Sulfamethoxazole/trimethoprim", "复方磺胺甲噁唑", "Major 严重", "CYP2C9 inhibition and displacement from plasma proteins. 抑制CYP2C9并置换蛋白结合。", "Avoid; if required, check INR within 3-5 days. 避免合用。"],
            ["Warfarin", "华法林", "Rifampicin", "利福平", "Major 严重", "Potent enzyme induction; INR falls within a week. 强效酶诱导，INR明显下降。", "Check INR twice weekly; the warfarin dose may need to double or more. Induction wanes over 2-4 weeks after rifampicin stops, so reduce the dose again. 每周查INR两次，停用利福平后2-4周内需再减量。"],
            ["Warfarin", "华法林", "Carbamazepine", "卡马西平", "Moderate 中度", "Induction of CYP3A4 and CYP2C9 lowers INR. 酶诱导使INR降低。", "Monitor INR when carbamazepine is started, changed or stopped. 起停或调整剂量时监测INR。"],
            ["Warfarin", "华法林", "Paracetamol (acetaminophen)", "对乙酰氨基酚", "Moderate 中度", "Regular use above 2 g daily for several days can raise INR; mechanism not fully known. 连续数日每日超过2 g可升高INR。", "Occasional doses are acceptable. Check INR if more than 2 g daily is taken for more than 3 days. 偶尔使用无需调整。"],
            ["Warfarin", "华法林", "Omeprazole", "奥美拉唑", "Minor 轻度", "CYP2C19 inhibition slows clearance of R-warfarin. 抑制R-华法林代谢。", "Usually no dose change; check INR after starting. 通常无需调整剂量。"],
            ["Warfarin", "华法林", "Simvastatin", "辛伐他汀", "Minor 轻度", "Small rise in INR reported. 可轻度升高INR。", "Check INR after starting or changing the statin dose. 开始用药后复查INR。"],
            ["Aspirin", "阿司匹林", "Ibuprofen", "布洛芬", "Moderate 中度", "Ibuprofen occupies the COX-1 binding site and blocks aspirin's irreversible antiplatelet effect; gastrointestinal toxicity adds up. 布洛芬竞争COX-1位点，削弱阿司匹林抗血小板作用。", "Take ibuprofen at least 30 minutes after immediate-release aspirin or at least 8 hours before it; for regular analgesia choose another analgesic. 布洛芬应在阿司匹林服用后至少30分钟或服用前至少8小时使用。"],
            ["Aspirin", "阿司匹林", "Methotrexate", "甲氨蝶呤", "Major 严重", "Salicylates reduce renal clearance of methotrexate and displace it from plasma proteins. 水杨酸盐减少甲氨蝶呤肾清除。", "Contraindicated with methotrexate 15 mg/week or more. At lower doses monitor blood counts and renal function. 甲氨蝶呤每周15 mg及以上时禁止合用。"],
            ["Aspirin", "阿司匹林", "Clopidogrel", "氯吡格雷", "Moderate 中度", "Additive antiplatelet effect. 抗血小板作用叠加。", "Intended in dual antiplatelet therapy; keep aspirin at 75-100 mg daily and consider a PPI other than omeprazole or esomeprazole. 双联抗血小板时阿司匹林每日75-100 mg。"],
            ["Aspirin", "阿司匹林", "Sertraline", "舍曲林", "Moderate 中度", "SSRIs deplete platelet serotonin; bleeding risk adds up. SSRI类减少血小板5-羟色胺。", "Watch for gastrointestinal bleeding; consider a PPI in patients over 65. 关注消化道出血。"],
            ["Aspirin", "阿司匹林", "Prednisone", "泼尼松", "Moderate 中度", "Higher peptic ulcer risk; corticosteroids increase salicylate clearance. 增加溃疡风险并加速水杨酸盐清除。", "Consider a PPI; watch for salicylate excess when the steroid is tapered. 考虑加用PPI。"],
            ["Aspirin", "阿司匹林", "Enalapril", "依那普利", "Minor 轻度", "Analgesic doses of salicylate reduce prostaglandin-mediated vasodilation and natriuresis. 大剂量水杨酸盐减弱降压作用。", "Low-dose aspirin (100 mg or less) is usually acceptable; at higher doses monitor blood pressure and renal function. 小剂量阿司匹林通常可合用。"],
            ["Aspirin", "阿司匹林", "Probenecid", "丙磺舒", "Moderate 中度", "Salicylates antagonise the uricosuric effect. 水杨酸盐拮抗促尿酸排泄作用。", "Avoid regular aspirin in gout patients treated with probenecid. 避免长期合用。"],
            ["Metformin", "二甲双胍", "Iodinated contrast media", "碘造影剂", "Major 严重", "Contrast-induced acute kidney injury can lead to metformin accumulation and lactic acidosis. 造影剂肾损伤可致二甲双胍蓄积和乳酸酸中毒。", "Stop metformin at the time of or before the procedure; restart no earlier than 48 hours after, once renal function is stable. 检查前或检查时停药，48小时后肾功能稳定方可恢复。"],
            ["Metformin", "二甲双胍", "Alcohol", "乙醇", "Moderate 中度", "Alcohol raises lactate and the risk of hypoglycaemia. 乙醇升高乳酸水平。", "Advise against heavy or binge drinking. 避免大量饮酒。"],
            ["Metformin", "二甲双胍", "Dolutegravir", "多替拉韦", "Moderate 中度", "Inhibits OCT2 and MATE1, raising metformin exposure. 抑制OCT2/MATE1，升高二甲双胍暴露量。", "Limit metformin to 1000 mg daily when starting dolutegravir and review glucose. 合用时二甲双胍每日不超过1000 mg。"],
            ["Metformin", "二甲双胍", "Cimetidine", "西咪替丁", "Minor 轻度", "Competes for renal tubular secretion. 竞争肾小管分泌。", "Monitor blood glucose; dose change rarely needed. 监测血糖。"],
            ["Methotrexate", "甲氨蝶呤", "Trimethoprim", "甲氧苄啶", "Major 严重", "Additive antifolate effect causes bone marrow suppression. 叶酸拮抗作用叠加致骨髓抑制。", "Avoid the combination. 避免合用。"],
            ["Clopidogrel", "氯吡格雷", "Omeprazole", "奥美拉唑", "Moderate 中度", "CYP2C19 inhibition reduces activation of clopidogrel. 抑制CYP2C19，减少氯吡格雷活化。", "Prefer pantoprazole when a PPI is needed. 需要PPI时首选泮托拉唑。"],
            ["Simvastatin", "辛伐他汀", "Clarithromycin", "克拉霉素", "Major 严重", "Strong CYP3A4 inhibition raises simvastatin levels; risk of myopathy and rhabdomyolysis. 强效抑制CYP3A4，致肌病风险。", "Contraindicated: suspend simvastatin for the duration of the antibiotic course. 禁止合用，抗菌疗程内暂停辛伐他汀。"],
        ];

        for (var i = 0; i < interactions.Length; i++)
        {
            rows.Add([XlsxCell.Of(i + 1), .. interactions[i].Select(XlsxCell.Of)]);
        }

        return new XlsxSheet("Interactions", [8, 16, 12, 22, 14, 14, 48, 60], rows, ["A1:A2", "B1:C1", "D1:E1", "F1:F2", "G1:G2", "H1:H2"]);
    }

    private static XlsxSheet BuildDosageLimits()
    {
        List<IReadOnlyList<XlsxCell>> rows =
        [
            [
                XlsxCell.Header("Drug"), XlsxCell.Header("药品"), XlsxCell.Header("Route 给药途径"),
                XlsxCell.Header("Usual adult dose 常用剂量"), XlsxCell.Header("Maximum daily dose (mg) 日最大剂量"),
                XlsxCell.Header("Renal or other adjustment 剂量调整"), XlsxCell.Header("Last reviewed 复核日期"),
            ],
            Limit("Aspirin (antiplatelet)", "阿司匹林（抗血小板）", "Oral 口服", "100 mg once daily", 300, "Acute myocardial infarction: 300 mg first dose, chewed. Avoid in severe renal impairment (CrCl < 10 mL/min).", 2025, 6, 12),
            Limit("Warfarin", "华法林", "Oral 口服", "2-5 mg once daily to start, then by INR", null, "No fixed maximum; dose is adjusted to INR 2.0-3.0 (2.5-3.5 for a mechanical mitral valve).", 2025, 6, 12),
            Limit("Metformin", "二甲双胍", "Oral 口服", "500 mg two or three times daily with meals", 3000, "eGFR 45-59: max 2000 mg; eGFR 30-44: max 1000 mg; eGFR < 30: contraindicated.", 2025, 4, 3),
            Limit("Ibuprofen", "布洛芬", "Oral 口服", "200-400 mg every 6-8 hours", 2400, "OTC self-care limit 1200 mg daily. Avoid if eGFR < 30.", 2025, 4, 3),
            Limit("Paracetamol (acetaminophen)", "对乙酰氨基酚", "Oral 口服", "500-1000 mg every 4-6 hours", 4000, "Max 3000 mg daily if body weight < 50 kg, chronic alcohol use or hepatic impairment.", 2025, 4, 3),
            Limit("Methotrexate (rheumatoid arthritis)", "甲氨蝶呤（类风湿关节炎）", "Oral 口服", "7.5-15 mg ONCE WEEKLY", 25, "Limit is per WEEK, never daily. Reduce dose if CrCl 30-59; avoid if CrCl < 30.", 2025, 9, 20),
            Limit("Apixaban (atrial fibrillation)", "阿哌沙班（房颤）", "Oral 口服", "5 mg twice daily", 10, "2.5 mg twice daily if at least two of: age 80 or over, weight 60 kg or less, serum creatinine 1.5 mg/dL or more.", 2025, 9, 20),
            Limit("Rivaroxaban (atrial fibrillation)", "利伐沙班（房颤）", "Oral 口服", "20 mg once daily with the evening meal", 20, "15 mg once daily if CrCl 15-49 mL/min; not recommended below 15.", 2025, 9, 20),
            Limit("Dabigatran (atrial fibrillation)", "达比加群酯（房颤）", "Oral 口服", "150 mg twice daily", 300, "110 mg twice daily from age 80; contraindicated if CrCl < 30 mL/min.", 2025, 9, 20),
            Limit("Edoxaban (atrial fibrillation)", "艾多沙班（房颤）", "Oral 口服", "60 mg once daily", 60, "30 mg once daily if CrCl 15-50 mL/min, weight 60 kg or less, or with ciclosporin, dronedarone, erythromycin or ketoconazole.", 2025, 9, 20),
            Limit("Clopidogrel", "氯吡格雷", "Oral 口服", "75 mg once daily", 75, "Loading dose 300-600 mg is given once only.", 2025, 6, 12),
            Limit("Simvastatin", "辛伐他汀", "Oral 口服", "20-40 mg once daily in the evening", 40, "80 mg is not started in new patients. Max 20 mg with amlodipine.", 2025, 6, 12),
        ];

        return new XlsxSheet("Dosage limits", [30, 22, 12, 34, 16, 60, 14], rows, []);
    }

    private static XlsxCell[] Limit(string drug, string chineseName, string route, string usual, double? maximum, string adjustment, int year, int month, int day) =>
    [
        XlsxCell.Of(drug), XlsxCell.Of(chineseName), XlsxCell.Of(route), XlsxCell.Of(usual),
        maximum is { } max ? XlsxCell.Of(max) : XlsxCell.Of("INR-guided"),
        XlsxCell.Of(adjustment), XlsxCell.Date(year, month, day),
    ];
}
