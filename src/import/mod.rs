//! Importing Word (.docx) and web (.html) documents as Markdown reports.
