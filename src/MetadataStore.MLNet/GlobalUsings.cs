global using Microsoft.ML;
