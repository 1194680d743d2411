namespace RlPlat.Agents.Buffers;

/// <summary>
/// A binary segment tree over <c>Capacity</c> non-negative priorities keeping sums and minima, so that setting a
/// priority, the total, the minimum and finding the slot where a prefix sum falls are all O(log n).
/// </summary>
public sealed class SumTree
{
    private readonly int leaves;
    private readonly double[] sums;
    private readonly double[] mins;

    /// <summary>A tree of <paramref name="capacity"/> zero priorities.</summary>
    public SumTree(int capacity)
    {
        if (capacity <= 0) throw new ArgumentException($"SumTree: capacity {capacity} must be positive.", nameof(capacity));
        Capacity = capacity;
        leaves = 1;
        while (leaves < capacity) leaves <<= 1;
        sums = new double[2 * leaves];
        mins = new double[2 * leaves];
        Array.Fill(mins, double.PositiveInfinity);
    }

    /// <summary>Number of slots.</summary>
    public int Capacity { get; }

    /// <summary>Sum of all priorities.</summary>
    public double Total => sums[1];

    /// <summary>Smallest priority among slots that were set (infinity when none).</summary>
    public double Min => mins[1];

    /// <summary>The priority of <paramref name="slot"/>.</summary>
    public double this[int slot] => sums[leaves + CheckSlot(slot)];

    /// <summary>Sets the priority of <paramref name="slot"/>.</summary>
    public void Set(int slot, double priority)
    {
        if (!(priority >= 0) || double.IsInfinity(priority)) throw new ArgumentException($"SumTree.Set: priority {priority} for slot {slot} must be finite and non-negative.", nameof(priority));
        int i = leaves + CheckSlot(slot);
        sums[i] = priority;
        mins[i] = priority;
        for (i >>= 1; i >= 1; i >>= 1)
        {
            sums[i] = sums[2 * i] + sums[2 * i + 1];
            mins[i] = Math.Min(mins[2 * i], mins[2 * i + 1]);
        }
    }

    /// <summary>Sets every priority back to zero (unset).</summary>
    public void Clear()
    {
        Array.Clear(sums);
        Array.Fill(mins, double.PositiveInfinity);
    }

    /// <summary>The slot i with prefix(i) &lt;= <paramref name="value"/> &lt; prefix(i+1), for 0 &lt;= value &lt; Total.</summary>
    public int Find(double value)
    {
        if (!(Total > 0)) throw new InvalidOperationException("SumTree.Find: all priorities are zero.");
        int i = 1;
        while (i < leaves)
        {
            int left = 2 * i;
            if (value < sums[left] || sums[left + 1] == 0) i = left;
            else
            {
                value -= sums[left];
                i = left + 1;
            }
        }
        // Rounding can land on an empty leaf at the right edge; step back to the last slot with priority.
        int slot = i - leaves;
        while (slot > 0 && sums[leaves + slot] == 0) slot--;
        return slot;
    }

    private int CheckSlot(int slot) =>
        (uint)slot < (uint)Capacity ? slot : throw new ArgumentException($"SumTree: slot {slot} is outside 0..{Capacity - 1}.", nameof(slot));
}
