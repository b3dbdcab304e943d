using Hanlin.Ingestion.Dedup;

namespace Hanlin.Ingestion.Tests.Dedup;

public sealed class SimHasherTests
{
    // ~230 words of leaflet-style prose; near-duplicates of it are what chunk dedup must catch.
    internal const string Metformin =
        "Metformin is the first-line medication for the treatment of type 2 diabetes, particularly in people who are overweight. " +
        "It is also used in the treatment of polycystic ovary syndrome. It is not associated with weight gain and is taken by mouth. " +
        "It is sometimes used as an off-label adjunct to lessen the risk of metabolic syndrome in people who take antipsychotic medication. " +
        "Common side effects include diarrhea, nausea, and abdominal pain. It has a small risk of causing low blood sugar. " +
        "High blood lactic acid level is a concern if the medication is used in overly large doses or prescribed in people with severe kidney problems. " +
        "It is not recommended in those with significant liver disease. Metformin is a biguanide antihyperglycemic agent. " +
        "It works by decreasing glucose production in the liver, increasing the insulin sensitivity of body tissues, and increasing GDF15 secretion, which reduces appetite and caloric intake. " +
        "Metformin was first described in the scientific literature in 1922 by Emil Werner and James Bell. " +
        "French physician Jean Sterne began the study in humans in the 1950s. It was introduced as a medication in France in 1957. " +
        "It is on the World Health Organization's List of Essential Medicines. It is available as a generic medication. " +
        "In 2022, it was the second most commonly prescribed medication in the United States, with more than 85 million prescriptions. " +
        "Revised on 12 March 2021, page 14 of 52.";

    internal const string Insulin =
        "Insulin therapy is used to treat type 1 diabetes and advanced type 2 diabetes when oral medication such as metformin no longer controls blood sugar. " +
        "People with diabetes inject insulin under the skin using syringes, pens or pumps, and the dose is adjusted to meals, activity and blood glucose readings. " +
        "The most common side effect is low blood sugar, which can cause sweating, shaking and confusion, and weight gain is also frequent. " +
        "Long-acting insulin provides a steady background level while rapid-acting insulin covers meals. " +
        "Patients with kidney problems may need lower doses because insulin is cleared more slowly. " +
        "Insulin was discovered in 1921 by Frederick Banting and Charles Best in Toronto and was first used to treat a patient in 1922. " +
        "It is on the World Health Organization's List of Essential Medicines and is available in many generic forms.";

    internal const string MetforminZh =
        "二甲双胍是治疗2型糖尿病的一线药物，尤其适用于超重的患者。它也用于治疗多囊卵巢综合征。本品不会引起体重增加，口服给药。" +
        "常见不良反应包括腹泻、恶心和腹痛。本品引起低血糖的风险较小。如果剂量过大或用于严重肾功能不全的患者，可能出现乳酸酸中毒。" +
        "严重肝病患者不建议使用。二甲双胍属于双胍类降糖药，通过减少肝脏葡萄糖生成、提高机体组织对胰岛素的敏感性来发挥作用。" +
        "二甲双胍于1922年首次见于科学文献，1957年在法国作为药物上市。本品已列入世界卫生组织基本药物标准清单。修订日期：2021年3月12日，第14页，共52页。";

    internal const string InsulinZh =
        "胰岛素用于治疗1型糖尿病以及口服药物如二甲双胍不能控制血糖的晚期2型糖尿病患者。患者使用注射器、胰岛素笔或胰岛素泵进行皮下注射，" +
        "剂量需要根据进餐、运动和血糖监测结果进行调整。最常见的不良反应是低血糖，可引起出汗、震颤和意识模糊，体重增加也较常见。" +
        "长效胰岛素提供稳定的基础水平，速效胰岛素用于控制餐后血糖。肾功能不全的患者可能需要减少剂量。" +
        "胰岛素于1921年由班廷和贝斯特在多伦多发现，并于1922年首次用于治疗患者。";

    [Theory]
    [InlineData(Metformin)]
    [InlineData(MetforminZh)]
    public void Identical_text_has_distance_zero(string text)
    {
        Assert.Equal(0, SimHasher.HammingDistance(SimHasher.Compute(text), SimHasher.Compute(new string(text.AsSpan()))));
    }

    [Fact]
    public void Whitespace_punctuation_and_case_changes_do_not_change_the_hash()
    {
        var variant = Metformin.Replace(". ", ".\n\n", StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal).ToUpperInvariant() + "  ";
        var variantZh = MetforminZh.Replace("，", " ", StringComparison.Ordinal).Replace("。", ".", StringComparison.Ordinal) + "\n";

        Assert.Equal(SimHasher.Compute(Metformin), SimHasher.Compute(variant));
        Assert.Equal(SimHasher.Compute(MetforminZh), SimHasher.Compute(variantZh));
    }

    [Theory]
    [InlineData(Metformin, "12 March 2021", "12 April 2021")]
    [InlineData(Metformin, "page 14 of 52", "page 15 of 52")]
    [InlineData(Metformin, "in France in 1957", "in France in 1958")]
    [InlineData(Metformin, "abdominal pain", "stomach pain")]
    [InlineData(MetforminZh, "2021年3月12日", "2021年4月12日")]
    [InlineData(MetforminZh, "第14页", "第15页")]
    [InlineData(MetforminZh, "常见不良反应", "常见副作用")]
    public void A_typical_small_edit_stays_within_three_bits(string text, string oldValue, string newValue)
    {
        var edited = text.Replace(oldValue, newValue, StringComparison.Ordinal);
        Assert.NotEqual(text, edited);

        Assert.InRange(SimHasher.HammingDistance(SimHasher.Compute(text), SimHasher.Compute(edited)), 0, 3);
    }

    [Fact]
    public void Nearly_every_single_word_substitution_in_a_long_paragraph_stays_within_three_bits()
    {
        var words = Metformin.Split(' ');
        var original = SimHasher.Compute(Metformin);
        var within = 0;
        for (var i = 0; i < words.Length; i++)
        {
            var edited = (string[])words.Clone();
            edited[i] = "replacement" + i;
            if (SimHasher.HammingDistance(original, SimHasher.Compute(string.Join(' ', edited))) <= 3)
            {
                within++;
            }
        }

        // Measured: every one of the 233 substitutions lands within 3 bits; allow a little slack.
        Assert.True(within >= words.Length * 95 / 100, $"{within} of {words.Length} substitutions stayed within 3 bits");
    }

    [Fact]
    public void Nearly_every_single_character_substitution_in_a_chinese_paragraph_stays_within_three_bits()
    {
        var original = SimHasher.Compute(MetforminZh);
        var within = 0;
        var total = 0;
        for (var i = 0; i < MetforminZh.Length; i++)
        {
            if (MetforminZh[i] < '\u4E00' || MetforminZh[i] == '龍')
            {
                continue;
            }

            var chars = MetforminZh.ToCharArray();
            chars[i] = '龍';
            total++;
            if (SimHasher.HammingDistance(original, SimHasher.Compute(new string(chars))) <= 3)
            {
                within++;
            }
        }

        Assert.True(within >= total * 90 / 100, $"{within} of {total} substitutions stayed within 3 bits");
    }

    [Theory]
    [InlineData(Metformin, Insulin)]
    [InlineData(MetforminZh, InsulinZh)]
    public void Different_paragraphs_on_the_same_topic_are_more_than_ten_bits_apart(string a, string b)
    {
        Assert.True(SimHasher.HammingDistance(SimHasher.Compute(a), SimHasher.Compute(b)) > 10);
    }

    [Fact]
    public void Text_without_letters_or_digits_hashes_to_zero()
    {
        Assert.Equal(0UL, SimHasher.Compute(" .,;!? \n。，"));
    }

    [Theory]
    [InlineData(0UL, 0UL, 0)]
    [InlineData(0UL, ulong.MaxValue, 64)]
    [InlineData(0b1011UL, 0b0001UL, 2)]
    public void Hamming_distance_counts_differing_bits(ulong a, ulong b, int expected)
    {
        Assert.Equal(expected, SimHasher.HammingDistance(a, b));
    }
}
