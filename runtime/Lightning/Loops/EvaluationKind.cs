namespace Lightning.Loops;

/// <summary>Which evaluation an <see cref="EvaluationLoop{TBatch}"/> runs; fixes its hooks and names.</summary>
internal enum EvaluationKind
{
    Validation,
    Test,
}
