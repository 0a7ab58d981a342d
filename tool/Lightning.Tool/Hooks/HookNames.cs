using System.Text;

namespace Lightning.Tool.Hooks;

/// <summary>The spellings of a hook name: C# (<c>ValidationStep</c>), Python (<c>validation_step</c>) and kebab case.</summary>
internal static class HookNames
{
    /// <summary>The Python spelling of a C# hook name; Lightning writes <c>dataloader</c> as one word.</summary>
    public static string ToPython(string csharpName)
    {
        var text = new StringBuilder();
        for (var i = 0; i < csharpName.Length; i++)
        {
            var c = csharpName[i];
            if (char.IsUpper(c) && i > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString().Replace("data_loader", "dataloader", StringComparison.Ordinal);
    }
}
