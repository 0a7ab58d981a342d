namespace Lightning;

/// <summary>How <see cref="Tuner.LrFind{TBatch}"/> raises the learning rate from its minimum to its maximum, step by step.</summary>
public enum LrFindMode
{
    /// <summary>Geometrically: the same factor each step, so every decade gets as many steps (Lightning's default).</summary>
    Exponential,

    /// <summary>By the same amount each step.</summary>
    Linear,
}
