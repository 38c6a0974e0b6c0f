// How people write the optimizers' names, on every page (the core's names are lower case).

const NAMES = {
  sgd: 'SGD', adagrad: 'Adagrad', rmsprop: 'RMSprop', adam: 'Adam', adamw: 'AdamW',
  nadam: 'NAdam', radam: 'RAdam', adamax: 'Adamax', adadelta: 'Adadelta',
};

/** The written name of optimizer `name` (the core's name when the table has none). */
export const optimizerName = (name) => (Object.hasOwn(NAMES, name) ? NAMES[name] : name);
