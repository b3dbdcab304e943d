using Hanlin.Models.Chat;
using Hanlin.Models.Templates;
using Hanlin.Models.Tokenization;
using LlamaModel = Hanlin.Models.Llama.LlamaModel;

namespace Hanlin.Training.Tests.Evaluation;

/// <summary>The real stories260K model from ../shared (tests skip without it).</summary>
internal static class Stories260K
{
    public static Task<LocalChatModel> LoadAsync() =>
        LocalChatModel.LoadAsync("stories260K", SharedData.Require("models/stories260K/stories260K.bin"), SharedData.Require("models/stories260K/tok512.bin"));

    /// <summary>The same weights and tokenizer with a ChatML-like template written as plain text markers.</summary>
    public static LocalChatModel WithTemplate()
    {
        var tokenizer = TokenizerLoader.Load(SharedData.Require("models/stories260K/tok512.bin"));
        var model = LlamaModel.LoadLlama2c(SharedData.Require("models/stories260K/stories260K.bin"));
        var template = ChatTemplate.Parse(
            "{% for m in messages %}[{{ m.role }}] {{ m.content }} [end]\n{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}");
        return new LocalChatModel("stories260K-chat", model, tokenizer, template);
    }
}
