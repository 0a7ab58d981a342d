namespace Lightning;

/// <summary>How a <see cref="CombinedLoader{T}"/> walks its loaders (Lightning's <c>CombinedLoader</c> modes).</summary>
public enum CombinedLoaderMode
{
    /// <summary>A batch from every loader each step, until the longest ends; shorter loaders start again (<c>max_size_cycle</c>).</summary>
    MaxSizeCycle,

    /// <summary>A batch from every loader each step, until the shortest ends (<c>min_size</c>).</summary>
    MinSize,

    /// <summary>Until the longest ends; a loader that ended gives nothing more, so later batches lack its index (<c>max_size</c>).</summary>
    MaxSize,

    /// <summary>One loader after the other, each batch alone under its loader's index (<c>sequential</c>).</summary>
    Sequential,
}
