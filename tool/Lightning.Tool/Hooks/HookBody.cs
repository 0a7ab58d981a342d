namespace Lightning.Tool.Hooks;

/// <summary>The template that writes a hook's body, under <c>Templates/Hooks</c>; several hooks of the same shape share one.</summary>
/// <param name="Template">The template's name, e.g. <c>DataLoader</c>.</param>
/// <param name="Stage">For shared templates, which stage the hook belongs to (<c>val</c>, <c>test</c>, ...).</param>
internal sealed record HookBody(string Template, string? Stage = null)
{
    /// <summary>An empty body holding the hook's note: for hooks whose default does nothing.</summary>
    public static HookBody Notification { get; } = new("Notification");

    /// <summary>The note and a call of the default (returning its result): behaviour stays as it was until the user changes it.</summary>
    public static HookBody BaseCall { get; } = new("BaseCall");
}
