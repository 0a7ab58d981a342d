using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace Lightning.Tool.Templates;

/// <summary>Lets templates <c>include</c> other embedded templates by name (e.g. <c>Hooks.SchedulerReturn</c>).</summary>
internal sealed class EmbeddedTemplateLoader : ITemplateLoader
{
    /// <inheritdoc />
    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => templateName;

    /// <inheritdoc />
    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => TemplateRenderer.Read(templatePath);

    /// <inheritdoc />
    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        ValueTask.FromResult<string?>(Load(context, callerSpan, templatePath));
}
