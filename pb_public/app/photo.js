// Photos are downscaled on the phone before they are stored: longest side at
// most 1600 px, JPEG, and small enough that a record's photos (3 at most)
// stay within 400 KB on a slow village link. The numbers are the server's
// (vocab.photos): it refuses a fourth photo.
import VOCAB from './vocab.js';

export const MAX_SIDE = VOCAB.photos.max_side;
export const MAX_PHOTOS = VOCAB.photos.per_record;
export const RECORD_PHOTO_BUDGET = VOCAB.photos.budget_bytes;
export const PHOTO_BUDGET = Math.floor(RECORD_PHOTO_BUDGET / MAX_PHOTOS);

export async function downscale(file, maxSide = MAX_SIDE, maxBytes = PHOTO_BUDGET) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  let scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  let blob = null;
  for (let attempt = 0; attempt < 6; attempt++) {
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.getContext('2d').drawImage(bitmap, 0, 0, w, h);
    for (const q of [0.8, 0.7, 0.6, 0.5]) {
      blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', q));
      if (blob && blob.size <= maxBytes) { bitmap.close?.(); return blob; }
    }
    scale *= 0.8;
  }
  bitmap.close?.();
  return blob;
}
