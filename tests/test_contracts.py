"""Contracts with the third-party internals the program overrides or relies on.

Each test pins one upstream behaviour; if an upgrade changes it, the test fails here rather than an
upload spooling plaintext to disk or a dossier decoding every picture."""

from __future__ import annotations

import ast
import inspect
import io
import textwrap

from werkzeug.datastructures import MultiDict
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.wrappers import Request

from helper.web.uploads import SecureRequest, _LargeBufferFormDataParser


def _body(function) -> str:
    """A function's statements, as a normalised AST dump (no docstring, no formatting)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    statements = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return ast.dump(ast.Module(body=statements, type_ignores=[]))


def test_our_multipart_parser_is_upstreams_with_only_the_buffer_size_added():
    """`_LargeBufferFormDataParser._parse_multipart` is a copy of Werkzeug's with `buffer_size=` added."""
    ours = _body(_LargeBufferFormDataParser._parse_multipart).replace(
        ", keyword(arg='buffer_size', value=Attribute(value=Name(id='self', ctx=Load()), attr='BUFFER_SIZE', "
        "ctx=Load()))",
        "",
    )
    assert ours == _body(FormDataParser._parse_multipart)
    ours_params = list(inspect.signature(_LargeBufferFormDataParser._parse_multipart).parameters)
    assert ours_params == list(inspect.signature(FormDataParser._parse_multipart).parameters)
    assert "buffer_size" in inspect.signature(MultiPartParser.__init__).parameters


class _Recorder(io.BytesIO):
    def __init__(self, log: list, name: str) -> None:
        super().__init__()
        self.log, self.name = log, name

    def write(self, data) -> int:
        self.log.append(("write", self.name))
        return super().write(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        self.log.append(("seek", self.name, offset))
        return super().seek(offset, whence)


def _multipart(*files: tuple[str, bytes]):
    """A WSGI environ for a form with these files, built in memory (no spooled temp file)."""
    boundary = "contract-boundary"
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
            for name, data in files
        )
        + f"--{boundary}--\r\n".encode()
    )
    return {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "PATH_INFO": "/",
    }


def test_werkzeug_rewinds_each_file_once_it_has_arrived_and_before_the_next():
    """`Incoming.seek` is the moment intake looks at a form's file and lets its bytes go: it relies on
    Werkzeug calling `seek(0)` on each file's container right after its last byte."""
    log: list = []
    streams = iter(["a", "b"])

    def factory(total_content_length, content_type, filename=None, content_length=None):
        return _Recorder(log, next(streams))

    environ = _multipart(("a.png", b"A" * 300_000), ("b.png", b"B" * 10))
    request = Request(environ)
    request.form_data_parser_class = FormDataParser
    parser = request.make_form_data_parser()
    parser.stream_factory = factory
    parser.parse(request.stream, request.mimetype, request.content_length, request.mimetype_params)
    first_seek = log.index(("seek", "a", 0))
    assert all(entry[1] == "a" for entry in log[:first_seek])  # a's writes, then a rewound
    assert ("write", "b") in log[first_seek:]
    assert log[-1] == ("seek", "b", 0)


def test_werkzeug_asks_the_request_for_each_files_stream():
    """`SecureRequest._get_file_stream` replaces Werkzeug's (a plaintext temp file past 500 KB): it must
    be called once per file, with the names and arguments it expects."""
    calls = []

    class Recording(SecureRequest):
        endpoint = None

        def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
            calls.append(filename)
            return io.BytesIO()

    request = Recording(_multipart(("a.png", b"A" * 600_000), ("b.png", b"B")))
    files = request.files
    assert calls == ["a.png", "b.png"]
    assert isinstance(files, MultiDict)
    upstream = list(inspect.signature(Request._get_file_stream).parameters)
    assert upstream == ["self", "total_content_length", "content_type", "filename", "content_length"]


def test_reportlab_embeds_our_jpeg_as_it_is():
    """The dossier's `_JpegReader` relies on reportlab naming an image by `getRGBData()` and reading
    `_dataA` for its mask (both answered without decoding), then embedding a JPEG through `jpeg_fh`
    as DCTDecode: the thumbnail's bytes go into the PDF verbatim."""
    from reportlab.pdfgen.canvas import Canvas

    from helper.dossier.render import _JpegReader
    from tests.support import samples

    source = inspect.getsource(Canvas.drawImage)
    assert "image.getRGBData()" in source
    assert "image._dataA" in source
    jpeg = samples.encode(samples.picture(64, 48, seed=1), "JPEG", quality=80)
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=0)
    canvas.drawImage(_JpegReader(jpeg), 0, 0, 64, 48)
    canvas.save()
    assert b"/DCTDecode" in out.getvalue()
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    [xobject] = [ref.get_object() for ref in page["/Resources"]["/XObject"].values()]
    assert xobject.get_data() == jpeg  # ASCII85 undone, the JPEG itself


def test_reportlab_starts_each_page_through_start_page():
    """The dossier's numbered canvas keeps every page's state and calls `_startPage` itself."""
    from reportlab.pdfgen.canvas import Canvas

    assert "self._startPage()" in inspect.getsource(Canvas.showPage)
    assert callable(Canvas._startPage)
