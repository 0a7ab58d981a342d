using Microsoft.CodeAnalysis.Text;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// The changes a command will make, gathered before anything is written: text changes per existing file, new
/// files, and what to tell the user (what was done, what was already there, what to do next).
/// </summary>
internal sealed class EditPlan
{
    private readonly Dictionary<string, (TextFile File, List<TextChange> Changes)> _changes = new(StringComparer.Ordinal);
    private readonly List<FileEdit> _newFiles = [];

    /// <summary>What the command adds or changes, one line each.</summary>
    public List<string> Done { get; } = [];

    /// <summary>What was asked for but is there already.</summary>
    public List<string> Unchanged { get; } = [];

    /// <summary>What the user should know or do next.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Records a change to an existing file.</summary>
    public void Change(TextFile file, TextChange change)
    {
        if (!_changes.TryGetValue(file.Path, out var entry)) _changes[file.Path] = entry = (file, []);
        entry.Changes.Add(change);
    }

    /// <summary>Records a whole-file edit (a new file, or a file rewritten as a whole such as a project file).</summary>
    public void Add(FileEdit edit) => _newFiles.Add(edit);

    /// <summary>The file edits the plan amounts to, each changing something.</summary>
    public IReadOnlyList<FileEdit> Edits() =>
        [.. _changes.Values.Select(c => new FileEdit(c.File, SourceText.From(c.File.Text).WithChanges(c.Changes.OrderBy(x => x.Span.Start)).ToString()))
            .Concat(_newFiles)
            .Where(e => e.ChangesSomething)];
}
