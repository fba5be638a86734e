// Photos are downscaled on the phone before they are stored: longest side at
// most 1600 px, JPEG, and small enough that a visit's photos stay within
// 400 KB on a slow village link.
export const MAX_SIDE = 1600;
export const MAX_PHOTOS = 3;
export const VISIT_PHOTO_BUDGET = 400 * 1024;
export const PHOTO_BUDGET = Math.floor(VISIT_PHOTO_BUDGET / MAX_PHOTOS);

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
