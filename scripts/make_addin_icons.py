#!/usr/bin/env python3
"""Draw the Office add-in's icons of ``xlcnn serve`` (a 3x3 filter over an input grid).

    .venv/bin/python scripts/make_addin_icons.py

Writes xlcnn/excel/server/static/images/icons/xlcnn-{16,32,64,80}.png and ../favicon.png
(Office asks for 16, 32 and 80 px ribbon icons and a 32/64 px add-in icon). Needs Pillow.
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parents[1] / "xlcnn" / "excel" / "server" / "static" / "images"
BLUE, YELLOW, INK = (31, 78, 121), (255, 217, 102), (255, 255, 255)


def icon(size: int) -> Image.Image:
    scale = 8  # draw large, then shrink: smooth edges at every size
    n = size * scale
    img = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([0, 0, n - 1, n - 1], radius=n // 6, fill=BLUE)
    cells, margin = 4, n // 8
    step = (n - 2 * margin) / cells
    for i in range(cells):
        for j in range(cells):
            x0, y0 = margin + j * step, margin + i * step
            inside = i < 3 and j < 3
            d.rectangle([x0 + step * 0.1, y0 + step * 0.1, x0 + step * 0.9, y0 + step * 0.9],
                        fill=YELLOW if inside else INK)
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    (HERE / "icons").mkdir(parents=True, exist_ok=True)
    for size in (16, 32, 64, 80):
        icon(size).save(HERE / "icons" / f"xlcnn-{size}.png", optimize=True)
    icon(32).save(HERE / "favicon.png", optimize=True)
    print(f"wrote {HERE}")


if __name__ == "__main__":
    main()
