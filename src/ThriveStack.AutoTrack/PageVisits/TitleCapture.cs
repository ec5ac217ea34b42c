using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// Reads the <c>&lt;title&gt;</c> of a page as it is written, for pages whose title the server knows only as HTML:
/// Razor components, where <c>&lt;PageTitle&gt;</c> renders into the <c>&lt;head&gt;</c> through <c>HeadOutlet</c>
/// and no framework event carries it, and minimal APIs and other endpoints that write their own HTML (MVC views and
/// Razor Pages give theirs as <c>ViewData["Title"]</c>). The response passes through unchanged; only its first 32 KiB are looked at, in a
/// pooled buffer returned as soon as the title (or <c>&lt;body</c>) is seen. A title the app set itself
/// (<c>SetThriveStackPageTitle</c>) wins.
/// </summary>
/// <remarks>Installed as the request's <see cref="IHttpResponseBodyFeature"/> (as ASP.NET Core's HTTP logging does), so
/// writes through <c>Response.Body</c> and <c>Response.BodyWriter</c> alike are seen. The pipe is the server's own,
/// wrapped: the capture is itself that <see cref="PipeWriter"/> (one object for the pipe, which minimal APIs write
/// through; a <see cref="ScanningStream"/> is made only for an app that writes through <c>Response.Body</c>). The app
/// writes straight into the server's buffers, as without AutoTrack, and each write is looked at as it is committed.
/// <see cref="Finish"/> restores the original feature.</remarks>
internal sealed class TitleCapture : PipeWriter, IHttpResponseBodyFeature
{
    private const int MaxScan = 32 * 1024;

    private readonly IHttpResponseBodyFeature _inner;
    private readonly HttpContext _context;
    private readonly ThriveStackRequestFeature _feature; // where the title goes: held, as a lookup of it walks the server's list of features it does not know
    private byte[]? _head;              // what was written before the title was found: rented only when a page writes its head in pieces
    private int _length;
    private bool _done;                 // the title was found, or is not in the head, or the response is over
    private Memory<byte> _buffer;       // the last buffer handed to the app through this pipe
    private ScanningStream? _stream;    // made only for an app that writes through Response.Body

    private TitleCapture(HttpContext context, ThriveStackRequestFeature feature, IHttpResponseBodyFeature inner)
    {
        _context = context;
        _feature = feature;
        _inner = inner;
    }

    /// <summary>
    /// Starts watching the response of <paramref name="context"/> for the title of the page, which goes to
    /// <paramref name="feature"/> (the request's); null when the response has no body feature to wrap.
    /// </summary>
    public static TitleCapture? Start(HttpContext context, ThriveStackRequestFeature feature)
    {
        if (RequestFeatures.ResponseBody(context) is not { } inner)
            return null;
        var capture = new TitleCapture(context, feature, inner);
        RequestFeatures.SetResponseBody(context, capture);
        return capture;
    }

    /// <summary>Puts the original body back and returns the buffer (what the app wrote is in the server's own pipe already).</summary>
    public void Finish()
    {
        RequestFeatures.SetResponseBody(_context, _inner);
        Done();
    }

    /// <summary>The text of the first <c>&lt;title&gt;</c> in <paramref name="html"/>, entities decoded and white space collapsed; null when there is none (yet).</summary>
    internal static string? Parse(ReadOnlySpan<byte> html)
    {
        var open = IndexOfIgnoreCase(html, "<title"u8);
        if (open < 0)
            return null;
        var gt = html[open..].IndexOf((byte)'>');
        if (gt < 0)
            return null;
        var start = open + gt + 1;
        var end = IndexOfIgnoreCase(html[start..], "</title"u8);
        if (end < 0)
            return null;
        var title = CollapseWhiteSpace(WebUtility.HtmlDecode(Encoding.UTF8.GetString(html.Slice(start, end))));
        return title.Length == 0 ? null : title;
    }

    /// <summary>
    /// <paramref name="text"/> trimmed, each run of white space made one space (as splitting on white space and joining with
    /// spaces would); the same string when there is nothing to change, as in most titles.
    /// </summary>
    internal static string CollapseWhiteSpace(string text)
    {
        var clean = true;
        for (var i = 0; i < text.Length && clean; i++)
        {
            if (char.IsWhiteSpace(text[i]))
                clean = text[i] == ' ' && i > 0 && i < text.Length - 1 && !char.IsWhiteSpace(text[i + 1]);
        }
        if (clean)
            return text;

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
                builder.Append(' ');
            pendingSpace = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    Stream IHttpResponseBodyFeature.Stream => _stream ??= new ScanningStream(this, _inner);

    PipeWriter IHttpResponseBodyFeature.Writer => this;

    void IHttpResponseBodyFeature.DisableBuffering() => _inner.DisableBuffering();

    Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken) => _inner.StartAsync(cancellationToken);

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
        => _inner.SendFileAsync(path, offset, count, cancellationToken); // a file is not the page's HTML

    Task IHttpResponseBodyFeature.CompleteAsync() => _inner.CompleteAsync();

    // The pipe: the server's PipeWriter, each Advance shown to Scan first (the bytes the app wrote into the last buffer it
    // was given, in place: no copy of the body, no stream in between).
    public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer = Writer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => (_buffer = Writer.GetMemory(sizeHint)).Span;

    public override void Advance(int bytes)
    {
        if (bytes > 0 && bytes <= _buffer.Length)
            Scan(_buffer.Span[..bytes]);
        _buffer = default;
        Writer.Advance(bytes);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        Scan(source.Span);
        return Writer.WriteAsync(source, cancellationToken);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => Writer.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => Writer.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => Writer.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => Writer.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => Writer.CanGetUnflushedBytes;

    public override long UnflushedBytes => Writer.UnflushedBytes;

    private PipeWriter Writer => _inner.Writer; // the server's (a field of Kestrel's; made once by a stream-based feature)

    private void Scan(ReadOnlySpan<byte> written)
    {
        if (_done || written.IsEmpty)
            return;
        var take = Math.Min(written.Length, MaxScan - _length);
        ReadOnlySpan<byte> head, fresh;
        if (_length == 0)
        {
            head = fresh = written[..take]; // the first write is read in place: a page written at once is never copied
        }
        else
        {
            if (_head!.Length - _length < take)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxScan, Math.Max(_head.Length * 2, _length + take)));
                _head.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_head);
                _head = bigger;
            }
            written[..take].CopyTo(_head.AsSpan(_length));
            head = _head.AsSpan(0, _length + take);
            fresh = head[Math.Max(0, _length - 8)..]; // what was just written, and a tag it may have cut in two
        }

        if (IndexOfIgnoreCase(fresh, "</title"u8) >= 0)
        {
            if (_feature.PageTitle is null && Parse(head) is { } title)
                _feature.PageTitle = title;
            Done();
        }
        else if (head.Length >= MaxScan || IndexOfIgnoreCase(fresh, "<body"u8) >= 0)
        {
            Done(); // no title in the head
        }
        else
        {
            if (_length == 0)
            {
                _head = ArrayPool<byte>.Shared.Rent(Math.Max(4096, take));
                written[..take].CopyTo(_head);
            }
            _length = head.Length; // kept for the writes to come
        }
    }

    private void Done()
    {
        _done = true;
        var head = Interlocked.Exchange(ref _head, null);
        if (head is not null)
            ArrayPool<byte>.Shared.Return(head);
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> asciiLower)
    {
        for (var at = text.IndexOf((byte)'<'); at >= 0 && at <= text.Length - asciiLower.Length;)
        {
            if (Ascii.EqualsIgnoreCase(text.Slice(at, asciiLower.Length), asciiLower))
                return at;
            var next = text[(at + 1)..].IndexOf((byte)'<');
            at = next < 0 ? -1 : at + 1 + next;
        }
        return -1;
    }

    /// <summary>The response's stream for an app that writes through <c>Response.Body</c>: each write shown to the capture first.</summary>
    private sealed class ScanningStream(TitleCapture capture, IHttpResponseBodyFeature inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            capture.Scan(buffer);
            inner.Stream.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            capture.Scan(buffer.Span);
            return inner.Stream.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Stream.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.Stream.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            capture.Done(); // never disposes the response's own stream
            base.Dispose(disposing);
        }
    }
}
