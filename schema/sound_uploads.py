"""An uploaded sound file (closure message, welcome menu greeting): one multipart part named
``file``. The schema checks the part is a file and not too big, and hands the core its bytes;
the core (fs_service.audio_files) checks the content (WAV, PCM, 8 or 16 kHz) and converts it."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import ValidationError, post_load
from werkzeug.datastructures import FileStorage

from fs_service.audio_files import MAX_UPLOAD_BYTES

from .common import StrictSchema

TOO_BIG = f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


class SoundUploadSchema(StrictSchema):
    file = Upload(required=True, metadata={"description": "A WAV file (RIFF/WAVE, PCM, 8 or 16 kHz; stereo and "
                                                          f"8-bit are converted), at most "
                                                          f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"})

    @post_load
    def _read(self, data: dict, **kwargs) -> dict:
        """``{"data": bytes}``; never reads more than the limit (plus one byte to know)."""
        upload = data["file"]
        # A browser sends an empty part without a file name when no file was chosen: that is
        # "choose a file", not "this file is empty".
        if not isinstance(upload, FileStorage) or not upload.filename:
            raise ValidationError({"file": ["not a file upload"]})
        content = upload.stream.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise ValidationError({"file": [TOO_BIG]})
        return {"data": content}
