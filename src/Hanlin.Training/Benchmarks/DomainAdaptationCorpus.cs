using System.Text;

namespace Hanlin.Training.Benchmarks;

/// <summary>
/// Texts for the fine-tuning demonstration on stories260K (a tiny model trained on children's stories): a pharmacy
/// domain written by the project in the stories' simple English — visits to a pharmacist with doses, timings and
/// warnings — generated deterministically from a seed so training and held-out texts are different combinations, and
/// held-out stories of the model's own domain (also written by the project) to measure what adaptation costs there.
/// </summary>
public static class DomainAdaptationCorpus
{
    private static readonly string[] Names = ["Lily", "Tom", "Ben", "Mia", "Sam", "Anna", "Max", "Lucy", "Tim", "Sue"];
    private static readonly string[] Problems = ["a headache", "a fever", "a cough", "a sore throat", "a bad cold", "a pain in the tummy"];
    private static readonly string[] Medicines = ["aspirin", "ibuprofen", "paracetamol", "cough syrup", "amoxicillin"];
    private static readonly string[] Counts = ["two", "three", "four"];
    private static readonly string[] Limits = ["four", "six", "eight"];
    private static readonly string[] Meals = ["food", "breakfast", "dinner", "lunch"];
    private static readonly string[] Drinks = ["milk", "juice", "tea"];
    private static readonly string[] Warnings =
    [
        "If you feel dizzy, stop and call the doctor.",
        "If you get a rash, stop and come back to me.",
        "Keep the box away from little children.",
        "Do not drive if you feel sleepy.",
        "Keep the pills in a cool, dry place.",
    ];

    /// <summary>Held-out stories of the model's own domain.</summary>
    public static IReadOnlyList<string> Stories { get; } =
    [
        "Once upon a time, there was a little girl named Lily. She loved to play in the park with her red ball. One day, the ball rolled into the pond. Lily was sad. A kind duck swam to the ball and pushed it back to her. Lily smiled and said, \"Thank you, duck!\" They played together until the sun went down.",
        "Tom had a small dog named Spot. Spot liked to run and jump. One morning, Spot could not find his bone. Tom helped him look under the bed and behind the door. At last they found the bone in the garden. Spot wagged his tail and Tom laughed. They were happy friends.",
        "One day, a little bird wanted to fly high in the sky. But the bird was scared. Her mom said, \"Do not be afraid. You can do it.\" The bird flapped her wings and flew up to the big tree. She looked down and saw her mom. She was very proud.",
        "Mia and Ben went to the beach. They built a big sand castle with a tall tower. A wave came and made the castle fall. Ben was sad, but Mia said, \"Let's build it again!\" They worked together and made a new castle that was even better.",
        "There was a big bear who lived in the forest. The bear was hungry, so he looked for honey. He found a tree with bees. The bees were angry and the bear ran away. Then he found some berries by the river. He ate them all and took a long nap.",
        "Sam had a toy car that was blue and shiny. He liked to race it on the floor. One day the wheel broke. Sam was sad and went to his dad. His dad fixed the wheel with some glue. Sam hugged his dad and raced the car again.",
        "Anna saw a little cat in the rain. The cat was cold and wet. Anna took the cat home and gave it warm milk. The cat purred and slept on a soft blanket. The next day, Anna named the cat Fluffy. They became best friends.",
        "Once there was a small boat on a big lake. The boat wanted to see the other side. The wind helped the boat move across the water. On the other side, the boat met a friendly fish. The fish showed the boat a pretty island with tall trees.",
    ];

    /// <summary><paramref name="count"/> pharmacy passages generated from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<string> Pharmacy(int count, int seed)
    {
        var random = new Random(seed);
        string Pick(string[] words) => words[random.Next(words.Length)];
        var passages = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var name = Pick(Names);
            var medicine = Pick(Medicines);
            var text = new StringBuilder();
            text.Append($"{name} had {Pick(Problems)}, so {name} went to the pharmacy. ");
            text.Append($"The pharmacist gave {name} a box of {medicine}. ");
            text.Append($"She said, \"Take one pill {Pick(Counts)} times a day after {Pick(Meals)}. Do not take more than {Pick(Limits)} pills in one day.\" ");
            text.Append($"{name} asked, \"Can I take it with {Pick(Drinks)}?\" ");
            text.Append($"The pharmacist said, \"Take it with water. {Pick(Warnings)}\" ");
            text.Append($"{name} said thank you and went home to rest.");
            passages.Add(text.ToString());
        }

        return passages;
    }
}
