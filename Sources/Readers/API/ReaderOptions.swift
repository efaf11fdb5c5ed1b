// Options that change how files are read: forced format, HTML main-content extraction, record fields,
// and the limits that keep a hostile file from hanging or exhausting a worker.

/// How readers read.
public struct ReaderOptions: Sendable, Hashable {
    /// Read every file as this format instead of detecting it (`--format`).
    public var format: DocumentFormat?
    /// Keep only the main content of HTML pages (`--html-main on|off`, default on).
    public var htmlMainContent: Bool
    /// The record field holding the text (`--text-field`); by default the first of `text`, `body`, `content`.
    public var textField: String?
    /// The record field holding the id (`--id-field`); by default ids are `file#N`.
    public var idField: String?
    /// Seconds an external tool (pdftotext, pdfinfo) may run per file.
    public var toolTimeout: Double
    /// The most bytes an archive (DOCX) may unpack to, in total.
    public var maxUnpackedBytes: Int
    /// Metadata from a file (`--metadata`), merged into each document read.
    public var metadata: MetadataTable?

    /// Creates options; the defaults are those of the command line.
    public init(
        format: DocumentFormat? = nil, htmlMainContent: Bool = true, textField: String? = nil,
        idField: String? = nil, toolTimeout: Double = 60, maxUnpackedBytes: Int = 256 << 20
    ) {
        self.format = format
        self.htmlMainContent = htmlMainContent
        self.textField = textField
        self.idField = idField
        self.toolTimeout = toolTimeout
        self.maxUnpackedBytes = maxUnpackedBytes
    }

    /// The text fields tried in order for records.
    var textFields: [String] { textField.map { [$0] } ?? ["text", "body", "content"] }
}
