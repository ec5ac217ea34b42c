using System.Runtime.InteropServices;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// The compiled rule table's building blocks: arrays and strings, little-endian, each prefixed with its length (-1 for
/// null). Numbers go through <see cref="BinaryWriter"/> and <see cref="BinaryReader"/>, which are little-endian
/// everywhere; the big arrays are read in one copy where the machine is little-endian too.
/// </summary>
internal static class RuleTableFormat
{
    public static void WriteStrings(this BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values)
            writer.Write(value);
    }

    public static string[] ReadStrings(this BinaryReader reader)
    {
        var values = new string[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
            values[i] = reader.ReadString();
        return values;
    }

    public static void WriteNullable(this BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
            writer.Write(value);
    }

    public static string? ReadNullableString(this BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    public static void WriteInts(this BinaryWriter writer, int[]? values)
    {
        writer.Write(values?.Length ?? -1);
        foreach (var value in values ?? [])
            writer.Write(value);
    }

    public static int[]? ReadNullableInts(this BinaryReader reader)
    {
        var length = reader.ReadInt32();
        return length < 0 ? null : ReadArray<int>(reader, length);
    }

    public static int[] ReadInts(this BinaryReader reader)
        => reader.ReadNullableInts() ?? throw new InvalidDataException("The rule table has no array where one is required.");

    public static void WriteULongs(this BinaryWriter writer, ulong[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values)
            writer.Write(value);
    }

    public static ulong[] ReadULongs(this BinaryReader reader) => ReadArray<ulong>(reader, reader.ReadInt32());

    private static T[] ReadArray<T>(BinaryReader reader, int length)
        where T : unmanaged
    {
        if (length < 0)
            throw new InvalidDataException("The rule table has a negative array length.");
        var values = new T[length];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        reader.BaseStream.ReadExactly(bytes); // BinaryReader reads no further ahead than each value, so the stream is where it was left
        if (!BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < values.Length; i++)
                values[i] = ReverseEndianness(values[i]);
        }
        return values;
    }

    private static T ReverseEndianness<T>(T value)
        where T : unmanaged
    {
        var span = MemoryMarshal.AsBytes(new Span<T>(ref value));
        span.Reverse();
        return value;
    }
}
