"""Document viewers: photos (ImageViewer), PDFs (PdfViewer), the side pane and a separate window."""

from ui.viewers.image_viewer import ImageViewer
from ui.viewers.pdf_viewer import PdfViewer
from ui.viewers.preview_pane import PreviewPane
from ui.viewers.viewer_window import ViewerWindow

__all__ = ["ImageViewer", "PdfViewer", "PreviewPane", "ViewerWindow"]
