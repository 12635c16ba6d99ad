//! Default avatars: small, valid PNG images, one colour per index, encoded here (stored
//! deflate blocks need no compressor).

use std::sync::OnceLock;

/// Side length of the generated avatars, in pixels.
const SIZE: u32 = 64;

/// Background colours of avatars 1 to 7.
const COLOURS: [[u8; 3]; 7] = [
    [0x8e, 0x44, 0xad],
    [0x29, 0x80, 0xb9],
    [0x27, 0xae, 0x60],
    [0xf3, 0x9c, 0x12],
    [0xd3, 0x54, 0x00],
    [0xc0, 0x39, 0x2b],
    [0x16, 0xa0, 0x85],
];

/// The PNG of default avatar `index` (1 to 7; others fall back to 1).
pub(crate) fn default_avatar(index: usize) -> Vec<u8> {
    static CACHE: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    let all = CACHE.get_or_init(|| COLOURS.iter().map(|c| encode(*c)).collect());
    all.get(index.wrapping_sub(1))
        .or_else(|| all.first())
        .cloned()
        .unwrap_or_default()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn chunk(out: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(&kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A SIZE×SIZE RGB image: the colour, with a lighter circle in the middle.
fn encode(colour: [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::new();
    let centre = i64::from(SIZE) / 2;
    for y in 0..i64::from(SIZE) {
        raw.push(0); // filter: none
        for x in 0..i64::from(SIZE) {
            let (dx, dy) = (x - centre, y - centre);
            let inside = dx * dx + dy * dy < (centre * 3 / 5).pow(2);
            for c in colour {
                raw.push(if inside { c / 2 + 128 } else { c });
            }
        }
    }
    // zlib stream of stored deflate blocks
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&SIZE.to_be_bytes());
    header.extend_from_slice(&SIZE.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut png, *b"IHDR", &header);
    chunk(&mut png, *b"IDAT", &zlib);
    chunk(&mut png, *b"IEND", &[]);
    png
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_png_reference_value() {
        // The CRC of "IEND" with no data, as every PNG ends.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn avatars_are_distinct_pngs() {
        let one = default_avatar(1);
        let two = default_avatar(2);
        assert!(one.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_ne!(one, two);
        assert_eq!(default_avatar(99), one);
    }
}
