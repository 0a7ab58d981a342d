using Lightning.Tool.CodeEditing;

namespace Lightning.Tool.Commands;

/// <summary>Finishes a command that changes files: writes the plan (or prints its diff) and says what happened.</summary>
internal static class PlanOutput
{
    /// <summary>Applies or previews <paramref name="plan"/>; returns the exit code.</summary>
    public static int Finish(EditPlan plan, bool dryRun, string baseDirectory, ToolContext context)
    {
        var edits = plan.Edits();
        if (edits.Count > 0)
        {
            if (dryRun) EditWriter.PrintDiff(edits, baseDirectory, context.Output);
            else EditWriter.Apply(edits);
        }
        foreach (var line in plan.Done) context.Output.WriteLine(dryRun ? "Would do: " + line : line);
        foreach (var line in plan.Unchanged) context.Output.WriteLine(line + " Left as it is.");
        if (edits.Count == 0) context.Output.WriteLine("Nothing to change.");
        else if (dryRun) context.Output.WriteLine("Dry run: no file was written.");
        foreach (var note in plan.Notes) context.Output.WriteLine("Note: " + note);
        return ExitCodes.Success;
    }
}
